/**
 * Row → port-type mapping shared by the SQLite and MySQL adapters. Both schemas infer the same row types
 * (db/types.ts guards that), so one mapping serves both and the adapters cannot disagree on it.
 */
import type { InboxRow, MemberRow, OutboxRow } from '../../db/types.js';
import type { InboxItem, InboxStatus, Member, OutboxItem, OutboxStatus } from '../app/ports.js';

export function toInboxItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    dedupKey: row.dedupKey,
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
  };
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
  };
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
