import type { MysqlDb } from './mysql/mysqlDb.js';
import type { SqliteDb } from './sqlite/sqliteDb.js';

/** Any write committed through Database.commit: `type` names the applier that performs it. */
export interface AnyChange {
  readonly type: string;
}

/**
 * The appliers of a set of Change variants, one per `type` and dialect. A commit runs them inside its transaction:
 * SQLite's synchronously (better-sqlite3 transactions cannot await), MySQL's in order on the transaction's connection.
 */
export interface ChangeAppliers {
  readonly sqlite: Readonly<Record<string, (tx: SqliteDb, change: AnyChange) => void>>;
  readonly mysql: Readonly<Record<string, (tx: MysqlDb, change: AnyChange) => Promise<void>>>;
}

type SqliteAppliers<C extends AnyChange> = {
  [K in C['type']]: (tx: SqliteDb, change: Extract<C, { type: K }>) => void;
};
type MysqlAppliers<C extends AnyChange> = {
  [K in C['type']]: (tx: MysqlDb, change: Extract<C, { type: K }>) => Promise<void>;
};

/**
 * Declares the appliers of a union of changes: the compiler checks there is one per variant and dialect, each
 * typed with its own variant. The commit looks appliers up by `type`, so the change a variant's applier receives is
 * always of that variant; that is the one place the variant's type is taken on trust.
 */
export function defineChanges<C extends AnyChange>(appliers: {
  sqlite: SqliteAppliers<C>;
  mysql: MysqlAppliers<C>;
}): ChangeAppliers {
  const sqlite: Record<string, (tx: SqliteDb, change: AnyChange) => void> = {};
  const mysql: Record<string, (tx: MysqlDb, change: AnyChange) => Promise<void>> = {};
  for (const [type, apply] of Object.entries<(tx: SqliteDb, change: never) => void>(appliers.sqlite))
    sqlite[type] = (tx, change) => apply(tx, change as never);
  for (const [type, apply] of Object.entries<(tx: MysqlDb, change: never) => Promise<void>>(appliers.mysql))
    mysql[type] = (tx, change) => apply(tx, change as never);
  return { sqlite, mysql };
}

/** Joins appliers of several owners; a `type` claimed twice is a programming error, caught at start. */
export function mergeChangeAppliers(list: readonly ChangeAppliers[]): ChangeAppliers {
  const sqlite: Record<string, (tx: SqliteDb, change: AnyChange) => void> = {};
  const mysql: Record<string, (tx: MysqlDb, change: AnyChange) => Promise<void>> = {};
  for (const a of list) {
    for (const [type, fn] of Object.entries(a.sqlite)) {
      if (sqlite[type]) throw new Error(`change type ${type} has two appliers`);
      sqlite[type] = fn;
    }
    for (const [type, fn] of Object.entries(a.mysql)) {
      if (mysql[type]) throw new Error(`change type ${type} has two appliers`);
      mysql[type] = fn;
    }
  }
  return { sqlite, mysql };
}
