import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { inbox } from './tables.js';
import type { Change, Database } from '../../core/ports.js';
import { assertNever } from '../../shared/errors.js';
import type { SqliteDb } from './sqliteDb.js';
import { guardSqlite, toSqliteStoreError } from './sqliteErrors.js';
import {
  createSqliteConversations,
  deleteSqliteConversation,
  saveSqliteConversation,
} from './sqliteConversations.js';
import { createSqliteDrafts, deleteSqliteDraft, saveSqliteDraft } from './sqliteDrafts.js';
import { createSqliteInbox } from './sqliteInbox.js';
import { createSqliteMembers } from './sqliteMembers.js';
import {
  addSqliteOutbox,
  createSqliteOutbox,
  markSqliteOutboxFailed,
  markSqliteOutboxSent,
} from './sqliteOutbox.js';
import { applySqliteNoticeChange, createSqliteNotices } from '../../features/notices/sqliteNoticeStore.js';
import {
  createSqliteProposals,
  respondSqliteCosigner,
  setSqliteProposalStatus,
  submitSqliteProposal,
} from '../../features/proposals/sqliteProposalStore.js';

export const SQLITE_MIGRATIONS_FOLDER = fileURLToPath(
  new URL('../../../db/migrations/sqlite', import.meta.url),
);

export interface SqliteOptions {
  /** How long a writer waits for another connection's lock before SQLITE_BUSY (→ StoreUnavailableError). */
  busyTimeoutMs?: number;
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
  let client: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    client = new BetterSqlite3(file);
    // WAL: readers do not block the writer (HTTP ingest keeps writing while workers read).
    if (!inMemory) client.pragma('journal_mode = WAL');
    client.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // FULL, not WAL's usual NORMAL: a callback is acknowledged once its inbox row commits, and NORMAL may lose the
    // last commits on power failure — a message WeCom will never resend.
    client.pragma('synchronous = FULL');
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
  return { database: wrapSqlite(db, client), db };
}

function applyChange(tx: SqliteDb, change: Change): void {
  switch (change.type) {
    case 'inbox.done':
      tx.update(inbox).set({ status: 'done', doneAt: change.at }).where(eq(inbox.id, change.id)).run();
      return;
    case 'inbox.dead':
      tx.update(inbox)
        .set({ status: 'dead', lastError: change.reason, doneAt: change.at })
        .where(eq(inbox.id, change.id))
        .run();
      return;
    case 'outbox.add':
      addSqliteOutbox(tx, change.message, change.at);
      return;
    case 'conversation.save':
      saveSqliteConversation(tx, change.userId, change.data, change.at);
      return;
    case 'conversation.delete':
      deleteSqliteConversation(tx, change.userId);
      return;
    case 'draft.save':
      saveSqliteDraft(tx, change.draft, change.at);
      return;
    case 'draft.delete':
      deleteSqliteDraft(tx, change.id);
      return;
    case 'proposal.submit':
      submitSqliteProposal(tx, change.proposal, change.cosignerIds, change.at);
      return;
    case 'proposal.status':
      setSqliteProposalStatus(tx, change.proposalId, change.status, change.note, change.at);
      return;
    case 'cosigner.respond':
      respondSqliteCosigner(tx, change.proposalId, change.userId, change.status, change.at);
      return;
    case 'outbox.sent':
      markSqliteOutboxSent(tx, change.id, change.sentAt, change.wecomMsgId);
      return;
    case 'outbox.failed':
      markSqliteOutboxFailed(tx, change.id, change);
      return;
    case 'notice.create':
    case 'notice.send':
    case 'notice.answer':
    case 'notice.delivery':
    case 'notice.reminderDone':
      applySqliteNoticeChange(tx, change);
      return;
    default:
      assertNever(change, 'change');
  }
}

function wrapSqlite(db: SqliteDb, client: BetterSqlite3.Database): Database {
  return {
    dialect: 'sqlite',
    inbox: createSqliteInbox(db),
    outbox: createSqliteOutbox(db),
    members: createSqliteMembers(db),
    conversations: createSqliteConversations(db),
    drafts: createSqliteDrafts(db),
    proposals: createSqliteProposals(db),
    notices: createSqliteNotices(db),
    commit: (changes) =>
      guardSqlite(() => {
        // better-sqlite3 transactions are synchronous: every change is applied inside this one callback, and a
        // throw from any of them rolls back the earlier ones.
        db.transaction(
          (tx) => {
            for (const change of changes) applyChange(tx, change);
          },
          { behavior: 'immediate' },
        );
      }),
    ping: () =>
      guardSqlite(() => {
        client.prepare('SELECT 1').get();
      }),
    close: async () => {
      if (client.open) client.close();
    },
  };
}
