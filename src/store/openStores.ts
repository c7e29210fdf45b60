import type { Database, KeyValueStore } from '../core/ports.js';
import { assertNever } from '../shared/errors.js';
import type { ChangeAppliers } from './changeAppliers.js';
import { createMemoryKeyValueStore } from './memory/memoryKeyValueStore.js';
import { createMysqlDatabase } from './mysql/mysqlDatabase.js';
import { createRedisKeyValueStore } from './redis/redisKeyValueStore.js';
import { createSqliteDatabase } from './sqlite/sqliteDatabase.js';

/**
 * The only place that picks a database adapter. SQLite (embedded default) migrates itself on open; MySQL is
 * migrated explicitly (`db migrate`) and only connected to here.
 */
export async function openDatabase(
  db: { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string },
  /** The features' change appliers (from the registry). */
  changes?: ChangeAppliers,
  tuning: { sqliteSync?: 'wal-fsync' | 'full' } = {},
): Promise<Database> {
  const options = changes ? { changes } : {};
  switch (db.kind) {
    case 'sqlite':
      return createSqliteDatabase(db.file, { ...options, sync: tuning.sqliteSync ?? 'full' });
    case 'mysql':
      return createMysqlDatabase(db.url, options);
    default:
      return assertNever(db, 'database kind');
  }
}

/** Redis when configured; otherwise the in-process store (one process, so locks and counters stay correct). */
export function openKeyValueStore(redisUrl: string | null): KeyValueStore {
  return redisUrl ? createRedisKeyValueStore(redisUrl) : createMemoryKeyValueStore();
}
