/**
 * Databases for tests, opened with the change appliers of the real feature registry (as main.ts opens them), so a
 * test commits proposal and notice changes exactly as the server does.
 */
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { createRegistry } from '../../src/core/registry.js';
import { createFeatures } from '../../src/features/index.js';
import { createMysqlDatabase, type MysqlOptions } from '../../src/store/mysql/mysqlDatabase.js';
import { openDatabase } from '../../src/store/openStores.js';
import { createSqliteDatabase, type SqliteOptions } from '../../src/store/sqlite/sqliteDatabase.js';

export const testRegistry = createRegistry(createFeatures(loadConfig({})));

export function testSqlite(file: string, options: SqliteOptions = {}): Database {
  return createSqliteDatabase(file, { ...options, changes: testRegistry.changes });
}

export function testMysql(url: string, options: MysqlOptions = {}): Promise<Database> {
  return createMysqlDatabase(url, { ...options, changes: testRegistry.changes });
}

export function testOpenDatabase(db: Parameters<typeof openDatabase>[0]): Promise<Database> {
  return openDatabase(db, testRegistry.changes);
}
