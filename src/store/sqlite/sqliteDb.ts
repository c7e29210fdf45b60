import type { RunResult } from 'better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';

/** The drizzle handle the SQLite adapters share: the database itself or a (synchronous) transaction on it. */
export type SqliteDb = BaseSQLiteDatabase<'sync', RunResult>;
