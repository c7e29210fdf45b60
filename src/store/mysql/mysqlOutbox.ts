import {
  and,
  asc,
  count,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notExists,
  or,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import { outbox } from './tables.js';
import type { NewOutboxMessage, OutboxStore } from '../../core/ports.js';
import { outboxCounts, toOutboxItem } from '../rows.js';
import { claimLeased } from './claimLeased.js';
import type { MysqlDb } from './mysqlDb.js';
import type { MysqlGuard } from './mysqlErrors.js';

const earlier = alias(outbox, 'earlier');

/**
 * A member's messages go out in the order they were written: one already tried and waiting to be tried again (a
 * transient failure, pacing, a paused channel, a store that was down: its attempts or reason say so) holds back
 * that member's later ones, so a conversation's replies are never delivered out of order. A message merely
 * scheduled for later (notBefore: a reminder) holds back nothing; nor do batches (a notice to many), nor are they
 * held back.
 */
function notBehindEarlier(db: MysqlDb, now: Date) {
  return or(
    sql`${outbox.recipients} IS NOT NULL`,
    notExists(
      db
        .select({ one: sql`1` })
        .from(earlier)
        .where(
          and(
            eq(earlier.toUser, outbox.toUser),
            isNull(earlier.recipients),
            eq(earlier.status, 'pending'),
            lt(earlier.id, outbox.id),
            gt(earlier.nextAttemptAt, now),
            or(gt(earlier.attempts, 0), isNotNull(earlier.lastError)),
          ),
        ),
    ),
  );
}

/** Change 'outbox.add': an existing dedupKey makes it a no-op, so a re-run handler does not send twice. */
export async function addMysqlOutbox(db: MysqlDb, message: NewOutboxMessage, at: Date): Promise<void> {
  await db
    .insert(outbox)
    .values({
      dedupKey: message.dedupKey,
      toUser: message.toUser,
      message: message.message,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: message.notBefore ?? at,
      createdAt: at,
      recipients: message.recipients ?? null,
      noticeId: message.noticeId ?? null,
      cardUpdate: message.cardUpdate ?? null,
      // Absent: the column's default ('wecom-app').
      channel: message.channel,
    })
    // `id = id` changes nothing: a duplicate dedup_key becomes a no-op without INSERT IGNORE, which would also turn
    // real errors (truncation, bad JSON) into warnings. No throw either, so the surrounding transaction goes on.
    .onDuplicateKeyUpdate({ set: { id: sql`${outbox.id}` } });
}

/** Change 'outbox.sent'. Unconditional: a message WeCom accepted is sent, whatever a concurrent
 * sender recorded meanwhile. */
export async function markMysqlOutboxSent(
  db: MysqlDb,
  id: number,
  sentAt: Date,
  wecomMsgId: string | null,
): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt, wecomMsgId }).where(eq(outbox.id, id));
}

/**
 * Change 'outbox.failed': only a pending item becomes failed and, with `heldUntil`, only while it is still held
 * under that lease time (fencing, as reschedule): a holder whose lease ran out leaves alone the item another
 * sender took over.
 */
export async function markMysqlOutboxFailed(
  db: MysqlDb,
  id: number,
  failure: { errcode: number | null; reason: string; at: Date; heldUntil?: Date },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'failed',
      attempts: sql`${outbox.attempts} + 1`,
      lastErrcode: failure.errcode,
      lastError: failure.reason,
      // The row has no failed_at column; next_attempt_at is meaningless once final, so it records when.
      nextAttemptAt: failure.at,
    })
    .where(
      and(
        eq(outbox.id, id),
        eq(outbox.status, 'pending'),
        failure.heldUntil ? eq(outbox.nextAttemptAt, failure.heldUntil) : undefined,
      ),
    );
}

export function createMysqlOutbox(db: MysqlDb, guardMysql: MysqlGuard): OutboxStore {
  return {
    claimDue: (now, limit, leaseMs) =>
      guardMysql(async () => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        const rows = await claimLeased(db, {
          table: outbox,
          due: and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), notBehindEarlier(db, now)),
          orderBy: [asc(outbox.id)],
          limit,
          lease: { nextAttemptAt: leaseUntil },
        });
        return rows.map((r) => toOutboxItem({ ...r, nextAttemptAt: leaseUntil }));
      }),

    renewLease: (ids, heldUntil, until) =>
      guardMysql(async () => {
        if (ids.length === 0) return 0;
        const [result] = await db
          .update(outbox)
          .set({ nextAttemptAt: until })
          .where(
            and(
              inArray(outbox.id, [...ids]),
              eq(outbox.status, 'pending'),
              eq(outbox.nextAttemptAt, heldUntil),
            ),
          );
        return result.affectedRows;
      }),

    reschedule: (id, retry) =>
      guardMysql(async () => {
        await db
          .update(outbox)
          .set({
            nextAttemptAt: retry.at,
            lastErrcode: retry.errcode,
            lastError: retry.reason,
            ...(retry.countAttempt ? { attempts: sql`${outbox.attempts} + 1` } : {}),
          })
          .where(
            and(
              eq(outbox.id, id),
              eq(outbox.status, 'pending'),
              retry.heldUntil ? eq(outbox.nextAttemptAt, retry.heldUntil) : undefined,
            ),
          );
      }),

    listForUser: (toUser, afterId, limit) =>
      guardMysql(async () => {
        const rows = await db
          .select()
          .from(outbox)
          .where(
            and(
              or(eq(outbox.toUser, toUser), sql`JSON_CONTAINS(${outbox.recipients}, JSON_QUOTE(${toUser}))`),
              gt(outbox.id, afterId),
            ),
          )
          .orderBy(asc(outbox.id))
          .limit(limit);
        return rows.map(toOutboxItem);
      }),

    countByStatus: () =>
      guardMysql(async () =>
        outboxCounts(
          await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status),
        ),
      ),
  };
}
