/**
 * What the contract suites read or write past the ports: reads no use-case needs (one item by id) and the outbox's
 * final states applied outside a sender. They live here, not on the ports, so the adapters carry only what the app
 * calls; each is written once per dialect on the adapter's drizzle handle, with the adapters' own row mapping.
 */
import { eq } from 'drizzle-orm';
import type { Database, InboxItem, OutboxItem } from '../../src/core/ports.js';
import type { Proposal } from '../../src/features/proposals/ports.js';
import { toProposal } from '../../src/features/proposals/rows.js';
import * as myProposals from '../../src/features/proposals/tables.mysql.js';
import * as liteProposals from '../../src/features/proposals/tables.sqlite.js';
import type { MysqlDb } from '../../src/store/mysql/mysqlDb.js';
import * as my from '../../src/store/mysql/tables.js';
import { toInboxItem, toOutboxItem } from '../../src/store/rows.js';
import type { SqliteDb } from '../../src/store/sqlite/sqliteDb.js';
import { sqlHandleOf } from '../../src/store/sqlHandle.js';
import * as lite from '../../src/store/sqlite/tables.js';

export interface StoreReads {
  inboxItem(id: number): Promise<InboxItem | null>;
  outboxItem(id: number): Promise<OutboxItem | null>;
  proposal(id: number): Promise<Proposal | null>;
}

export function sqliteReads(db: SqliteDb): StoreReads {
  return {
    inboxItem: async (id) => {
      const row = db.select().from(lite.inbox).where(eq(lite.inbox.id, id)).get();
      return row ? toInboxItem(row) : null;
    },
    outboxItem: async (id) => {
      const row = db.select().from(lite.outbox).where(eq(lite.outbox.id, id)).get();
      return row ? toOutboxItem(row) : null;
    },
    proposal: async (id) => {
      const { proposals } = liteProposals;
      const row = db.select().from(proposals).where(eq(proposals.id, id)).get();
      return row ? toProposal(row) : null;
    },
  };
}

export function mysqlReads(db: MysqlDb): StoreReads {
  return {
    inboxItem: async (id) => {
      const [row] = await db.select().from(my.inbox).where(eq(my.inbox.id, id));
      return row ? toInboxItem(row) : null;
    },
    outboxItem: async (id) => {
      const [row] = await db.select().from(my.outbox).where(eq(my.outbox.id, id));
      return row ? toOutboxItem(row) : null;
    },
    proposal: async (id) => {
      const { proposals } = myProposals;
      const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
      return row ? toProposal(row) : null;
    },
  };
}

/** The sender's 'outbox.sent' change, committed alone. */
export async function markOutboxSent(
  db: Database,
  id: number,
  result: { sentAt: Date; wecomMsgId: string | null },
): Promise<void> {
  await db.commit([{ type: 'outbox.sent', id, ...result }]);
}

/** The sender's 'outbox.failed' change (fenced by `heldUntil` when given), committed alone. */
export async function markOutboxFailed(
  db: Database,
  id: number,
  failure: { errcode: number | null; reason: string; at: Date; heldUntil?: Date },
): Promise<void> {
  await db.commit([{ type: 'outbox.failed', id, ...failure }]);
}

/** The reads for any Database the store opened (picks the dialect's handle). */
export function readsOf(db: Database): StoreReads {
  const h = sqlHandleOf(db);
  return h.dialect === 'sqlite' ? sqliteReads(h.db) : mysqlReads(h.db);
}
