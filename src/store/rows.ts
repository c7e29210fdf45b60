/**
 * Row → port-type mapping of the core tables, and what else both SQL adapters share. Both dialects infer the same
 * row types (tablesGuard.ts guards that), so one mapping serves both and the adapters cannot disagree on it. Feature
 * tables have theirs in src/features/<f>/rows.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type {
  ConversationRecord,
  Draft,
  InboxItem,
  InboxStatus,
  Member,
  OutboxItem,
  OutboxStatus,
} from '../core/ports.js';
import type { ConversationRow, DraftRow, InboxRow, MemberRow, OutboxRow } from './tablesGuard.js';

export function toInboxItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    dedupKey: row.dedupKey,
    channel: row.channel,
    userId: row.userId,
    kind: row.kind,
    encrypted: row.encrypted,
    receivedAt: row.receivedAt,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
  };
}

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    dedupKey: row.dedupKey,
    toUser: row.toUser,
    message: row.message,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastErrcode: row.lastErrcode,
    lastError: row.lastError,
    wecomMsgId: row.wecomMsgId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    channel: row.channel,
    ...(row.recipients !== null ? { recipients: row.recipients } : {}),
    ...(row.noticeId !== null ? { noticeId: row.noticeId } : {}),
    ...(row.cardUpdate !== null ? { cardUpdate: row.cardUpdate } : {}),
  };
}

/** Rows per INSERT: SQLite allows 32766 bound variables, MySQL 65535 placeholders; 500 × 9 columns is far below. */
export const INSERT_CHUNK = 500;

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function toMember(row: MemberRow): Member {
  return {
    userId: row.userId,
    name: row.name,
    role: row.role,
    sector: row.sector,
    committee: row.committee,
    mobile: row.mobile,
    active: row.active,
    // Only unit contacts carry a unit; everyone else has none (the key stays absent).
    ...(row.unit !== null ? { unit: row.unit } : {}),
  };
}

export function toConversation(row: ConversationRow): ConversationRecord {
  return { userId: row.userId, data: row.data, updatedAt: row.updatedAt };
}

export function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    userId: row.userId,
    flowId: row.flowId,
    title: row.title,
    data: row.data,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A free-form JSON value (conversation / draft `data`) as the column value to write. Serialized here rather than by
 * the column's encoder because drizzle binds a JS `null` as SQL NULL (the NOT NULL column would reject a JSON null)
 * without calling the encoder; the text `null` round-trips. Values JSON cannot represent are refused, not stored.
 */
export function jsonValue(value: unknown): SQL {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError(`not a JSON value: ${typeof value}`);
  return sql`${text}`;
}

/** Every status present, zero when no row has it, so callers (metrics, health) need no `?? 0`. */
export function inboxCounts(
  rows: readonly { status: InboxStatus; n: number }[],
): Record<InboxStatus, number> {
  const counts: Record<InboxStatus, number> = { pending: 0, done: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export function outboxCounts(
  rows: readonly { status: OutboxStatus; n: number }[],
): Record<OutboxStatus, number> {
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Walks `err` and its `cause` chain (drizzle ≥0.44 wraps driver errors in DrizzleQueryError). */
export function errorChain(err: unknown): object[] {
  const chain: object[] = [];
  let cur: unknown = err;
  while (cur !== null && typeof cur === 'object' && chain.length < 8) {
    chain.push(cur);
    cur = Reflect.get(cur, 'cause');
  }
  return chain;
}

/** A property of an error object, whatever its class (driver errors carry `code`, `errno`, `fatal`). */
export function errorField(err: object, name: string): unknown {
  return Reflect.get(err, name);
}
