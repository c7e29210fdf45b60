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
import { alias } from 'drizzle-orm/sqlite-core';
import { outbox } from './tables.js';
import type { NewOutboxMessage, OutboxStore } from '../../core/ports.js';
import { outboxCounts, toOutboxItem } from '../rows.js';
import type { SqliteDb } from './sqliteDb.js';
import { claimLeased } from './claimLeased.js';
import { guardSqlite } from './sqliteErrors.js';
import type { GroupCommit } from './groupCommit.js';

const earlier = alias(outbox, 'earlier');

/**
 * A member's messages go out in the order they were written: one already tried and waiting to be tried again (a
 * transient failure, pacing, a paused channel, a store that was down: its attempts or reason say so) holds back
 * that member's later ones, so a conversation's replies are never delivered out of order. A message merely
 * scheduled for later (notBefore: a reminder) holds back nothing; nor do batches (a notice to many), nor are they
 * held back.
 */
function notBehindEarlier(db: SqliteDb, now: Date) {
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
export function addSqliteOutbox(db: SqliteDb, message: NewOutboxMessage, at: Date): void {
  db.insert(outbox)
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
    .onConflictDoNothing({ target: outbox.dedupKey })
    .run();
}

/** Change 'outbox.sent'. Unconditional: a message WeCom accepted is sent, whatever a concurrent
 * sender recorded meanwhile. */
export function markSqliteOutboxSent(
  db: SqliteDb,
  id: number,
  sentAt: Date,
  wecomMsgId: string | null,
): void {
  db.update(outbox).set({ status: 'sent', sentAt, wecomMsgId }).where(eq(outbox.id, id)).run();
}

/**
 * Change 'outbox.failed': only a pending item becomes failed and, with `heldUntil`, only while it is still held
 * under that lease time (fencing, as reschedule): a holder whose lease ran out leaves alone the item another
 * sender took over.
 */
export function markSqliteOutboxFailed(
  db: SqliteDb,
  id: number,
  failure: { errcode: number | null; reason: string; at: Date; heldUntil?: Date },
): void {
  db.update(outbox)
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
    )
    .run();
}

export function createSqliteOutbox(db: SqliteDb, group: GroupCommit): OutboxStore {
  // Claims, renewals and reschedules join the group transaction (one fsync for all writes queued together); the
  // claim runs in its own savepoint inside it, the others are single statements.
  return {
    claimDue: (now, limit, leaseMs) => {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      return group.run((tx) =>
        claimLeased(tx, {
          table: outbox,
          due: and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), notBehindEarlier(db, now)),
          orderBy: [asc(outbox.id)],
          limit,
          lease: { nextAttemptAt: leaseUntil },
        }).map((r) => toOutboxItem({ ...r, nextAttemptAt: leaseUntil })),
      );
    },

    renewLease: async (ids, heldUntil, until) => {
      if (ids.length === 0) return 0;
      return group.run(
        (tx) =>
          tx
            .update(outbox)
            .set({ nextAttemptAt: until })
            .where(
              and(
                inArray(outbox.id, [...ids]),
                eq(outbox.status, 'pending'),
                eq(outbox.nextAttemptAt, heldUntil),
              ),
            )
            .run().changes,
      );
    },

    reschedule: (id, retry) =>
      group.run((tx) => {
        tx.update(outbox)
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
          )
          .run();
      }),

    listForUser: (toUser, afterId, limit) =>
      guardSqlite(() =>
        db
          .select()
          .from(outbox)
          .where(and(or(eq(outbox.toUser, toUser), recipientsInclude(toUser)), gt(outbox.id, afterId)))
          .orderBy(asc(outbox.id))
          .limit(limit)
          .all()
          .map(toOutboxItem)
          .filter((i) => i.toUser === toUser || (i.recipients ?? []).includes(toUser)),
      ),

    countByStatus: () =>
      guardSqlite(() =>
        outboxCounts(
          db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status).all(),
        ),
      ),
  };
}

/** Batch rows (one message/send to many) whose recipients include the user; exact match is checked after. */
function recipientsInclude(userId: string) {
  return sql`${outbox.recipients} LIKE ${`%${JSON.stringify(userId)}%`}`;
}
