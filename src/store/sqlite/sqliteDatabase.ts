import { mkdirSync } from 'node:fs';
import { migrationsFolder } from '../migrationsDir.js';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Change, Database } from '../../core/ports.js';
import type { ChangeAppliers } from '../changeAppliers.js';
import { coreChanges } from '../coreChanges.js';
import { registerSqlHandle } from '../sqlHandle.js';
import type { SqliteDb } from './sqliteDb.js';
import { guardSqlite, toSqliteStoreError } from './sqliteErrors.js';
import { createGroupCommit } from './groupCommit.js';
import { createSqliteConversations } from './sqliteConversations.js';
import { createSqliteDrafts } from './sqliteDrafts.js';
import { createSqliteInbox } from './sqliteInbox.js';
import { createSqliteMembers } from './sqliteMembers.js';
import { createSqliteOutbox } from './sqliteOutbox.js';

export const SQLITE_MIGRATIONS_FOLDER = migrationsFolder('sqlite');

export interface SqliteOptions {
  /** How long a writer waits for another connection's lock before SQLITE_BUSY (→ StoreUnavailableError). */
  busyTimeoutMs?: number;
  /** The features' change appliers (core changes are known already). */
  changes?: ChangeAppliers;
  /**
   * 'full' (default): synchronous=FULL, SQLite fsyncs inside each COMMIT.
   * 'wal-fsync': synchronous=NORMAL, and every group commit is reported only after an fdatasync of the WAL made on
   * libuv's thread pool (groupCommit.ts), without blocking the event loop on disk; writes outside a group are
   * durable only at the next group fsync or checkpoint (see SQLITE_SYNC in .env.example).
   */
  sync?: 'wal-fsync' | 'full';
}

/**
 * Opens (creating it and its folder if needed) the embedded database and migrates it: the embedded default must
 * work with no setup step. `':memory:'` gives a private in-memory database (tests).
 */
export function createSqliteDatabase(file: string, options: SqliteOptions = {}): Database {
  return connectSqlite(file, options).database;
}

/** createSqliteDatabase, plus its drizzle handle for what reads past the ports (test helpers). */
export function connectSqlite(
  file: string,
  options: SqliteOptions = {},
): { database: Database; db: SqliteDb } {
  const inMemory = file === ':memory:';
  const walFsync = !inMemory && (options.sync ?? 'full') === 'wal-fsync';
  let client: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    client = new BetterSqlite3(file);
    // WAL: readers do not block the writer (HTTP ingest keeps writing while workers read).
    if (!inMemory) client.pragma('journal_mode = WAL');
    client.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // A callback is acknowledged once its inbox row is durable (NORMAL alone may lose the last commits on power
    // failure — a message WeCom will never resend): FULL fsyncs in every COMMIT; wal-fsync uses NORMAL and reports
    // no commit before the group's WAL fdatasync (groupCommit.ts).
    client.pragma(walFsync ? 'synchronous = NORMAL' : 'synchronous = FULL');
    client.pragma('foreign_keys = ON');
  } catch (err) {
    throw toSqliteStoreError(err);
  }
  const db = drizzle({ client });
  try {
    migrate(db, { migrationsFolder: SQLITE_MIGRATIONS_FOLDER });
  } catch (err) {
    client.close();
    throw toSqliteStoreError(err);
  }
  const appliers = { ...(options.changes?.sqlite ?? {}), ...coreChanges.sqlite };
  const walFile = walFsync ? `${resolve(file)}-wal` : null;
  return { database: wrapSqlite(db, client, appliers, walFile), db };
}

function wrapSqlite(
  db: SqliteDb,
  client: BetterSqlite3.Database,
  appliers: ChangeAppliers['sqlite'],
  walFile: string | null,
): Database {
  const applyChange = (tx: SqliteDb, change: Change): void => {
    const apply = appliers[change.type];
    // A change no registered feature applies is a wiring bug: fail the commit rather than drop the write.
    if (!apply) throw new Error(`no applier for change ${change.type}`);
    apply(tx, change);
  };
  const group = createGroupCommit(db, walFile);
  const database: Database = {
    dialect: 'sqlite',
    inbox: createSqliteInbox(db, group),
    outbox: createSqliteOutbox(db, group),
    members: createSqliteMembers(db),
    conversations: createSqliteConversations(db),
    drafts: createSqliteDrafts(db),
    commit: (changes) =>
      // In the next group transaction, in its own savepoint: a throw from any change rolls back this commit's
      // earlier changes and nothing else; it resolves once the group is durable.
      group.run(
        (tx) => {
          for (const change of changes) applyChange(tx, change);
        },
        { savepoint: true },
      ),
    ping: () =>
      guardSqlite(() => {
        client.prepare('SELECT 1').get();
      }),
    close: async () => {
      if (client.open) client.close();
    },
  };
  registerSqlHandle(database, { dialect: 'sqlite', db });
  return database;
}
