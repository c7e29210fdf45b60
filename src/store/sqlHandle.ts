import type { Database } from '../core/ports.js';
import type { MysqlGuard } from './mysql/mysqlErrors.js';
import type { MysqlDb } from './mysql/mysqlDb.js';
import type { SqliteDb } from './sqlite/sqliteDb.js';

/** The drizzle handle behind a Database, for the stores features build on it. */
export type SqlHandle =
  { dialect: 'sqlite'; db: SqliteDb } | { dialect: 'mysql'; db: MysqlDb; guard: MysqlGuard };

const handles = new WeakMap<Database, SqlHandle>();

/** Called by the store's openers (createSqliteDatabase / createMysqlDatabase) once per Database. */
export function registerSqlHandle(db: Database, handle: SqlHandle): void {
  handles.set(db, handle);
}

export function sqlHandleOf(db: Database): SqlHandle {
  const handle = handles.get(db);
  if (!handle) throw new Error('this Database was not opened by src/store (no SQL handle)');
  return handle;
}

/**
 * A feature's store accessor: picks the adapter of the database's dialect, built once per Database. Features call
 * it as `proposalStore(db)` wherever they hold the Database.
 */
export function storeFor<T>(adapters: {
  sqlite(db: SqliteDb): T;
  mysql(db: MysqlDb, guard: MysqlGuard): T;
}): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    const known = built.get(db);
    if (known !== undefined) return known;
    const h = sqlHandleOf(db);
    const store = h.dialect === 'sqlite' ? adapters.sqlite(h.db) : adapters.mysql(h.db, h.guard);
    built.set(db, store);
    return store;
  };
}
