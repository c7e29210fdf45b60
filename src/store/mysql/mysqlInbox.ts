import { and, asc, count, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import { inbox } from './tables.js';
import type { InboxEnvelope, InboxStore } from '../../core/ports.js';
import { inboxCounts, toInboxItem } from '../rows.js';
import { DEFAULT_CHANNEL } from '../columnValues.js';
import type { MysqlDb } from './mysqlDb.js';
import { isMysqlDuplicate, type MysqlGuard } from './mysqlErrors.js';

/** Most rows one multi-row insert carries (about 0.7 KiB each). */
const MAX_ROWS_PER_INSERT = 200;

interface QueuedAdd {
  envelope: InboxEnvelope;
  resolve(outcome: 'stored' | 'duplicate'): void;
  reject(err: unknown): void;
}

export function createMysqlInbox(db: MysqlDb, guardMysql: MysqlGuard): InboxStore {
  const row = (envelope: InboxEnvelope) => ({
    ...envelope,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: envelope.receivedAt,
  });

  const addOne = (envelope: InboxEnvelope): Promise<'stored' | 'duplicate'> =>
    guardMysql(async () => {
      try {
        await db.insert(inbox).values(row(envelope));
        return 'stored';
      } catch (err) {
        // A plain insert and a caught ER_DUP_ENTRY (not INSERT IGNORE, which would also swallow truncation and
        // other errors as warnings).
        if (isMysqlDuplicate(err)) return 'duplicate';
        throw err;
      }
    });

  // The multi-row insert for n rows, built once per n (at most MAX_ROWS_PER_INSERT of them): building the SQL of a
  // 50-row insert through the query builder on every batch cost more CPU than the rest of the ack path.
  const batchInserts = new Map<number, { execute(values: Record<string, unknown>): Promise<unknown> }>();
  function batchInsert(n: number) {
    let prepared = batchInserts.get(n);
    if (!prepared) {
      prepared = db
        .insert(inbox)
        .values(
          Array.from({ length: n }, (_, i) => ({
            dedupKey: sql.placeholder(`k${i}`),
            userId: sql.placeholder(`u${i}`),
            kind: sql.placeholder(`t${i}`),
            channel: sql.placeholder(`c${i}`),
            encrypted: sql.placeholder(`e${i}`),
            receivedAt: sql.placeholder(`r${i}`),
            status: 'pending' as const,
            attempts: 0,
            nextAttemptAt: sql.placeholder(`r${i}`),
          })),
        )
        .prepare();
      batchInserts.set(n, prepared);
    }
    return prepared;
  }
  function batchValues(batch: QueuedAdd[]): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    batch.forEach(({ envelope }, i) => {
      values[`k${i}`] = envelope.dedupKey;
      values[`u${i}`] = envelope.userId;
      values[`t${i}`] = envelope.kind;
      values[`c${i}`] = envelope.channel ?? DEFAULT_CHANNEL;
      values[`e${i}`] = envelope.encrypted;
      values[`r${i}`] = envelope.receivedAt;
    });
    return values;
  }

  // Callbacks arriving in the same turn of the event loop go into one multi-row INSERT (one round trip, one
  // commit). A duplicate fails the whole statement and nothing of it is written, so that batch is then inserted row
  // by row to tell the duplicate apart; any other error fails every callback of the batch (each answers 503).
  let queue: QueuedAdd[] = [];
  let scheduled = false;
  function flush(): void {
    scheduled = false;
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += MAX_ROWS_PER_INSERT)
      void insertBatch(all.slice(i, i + MAX_ROWS_PER_INSERT));
  }
  async function insertBatch(batch: QueuedAdd[]): Promise<void> {
    if (batch.length === 1) {
      const [one] = batch;
      return addOne(one!.envelope).then(one!.resolve, one!.reject);
    }
    try {
      await guardMysql(() => batchInsert(batch.length).execute(batchValues(batch)));
      for (const q of batch) q.resolve('stored');
    } catch (err) {
      if (!isMysqlDuplicate(err)) {
        for (const q of batch) q.reject(err);
        return;
      }
      // One at a time: a burst must not overflow the pool's queue.
      for (const q of batch) await addOne(q.envelope).then(q.resolve, q.reject);
    }
  }

  return {
    add: (envelope) =>
      new Promise((resolve, reject) => {
        queue.push({ envelope, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      }),

    pendingUsers: (now, limit) =>
      guardMysql(async () => {
        // Only users whose OLDEST pending item is due: a due later item cannot be processed before the earlier
        // one that is backing off, and listing such users would let blocked users fill `limit` and starve others.
        const earlier = alias(inbox, 'earlier');
        const rows = await db
          .select({ userId: inbox.userId })
          .from(inbox)
          .where(
            and(
              eq(inbox.status, 'pending'),
              lte(inbox.nextAttemptAt, now),
              notExists(
                db
                  .select({ one: sql`1` })
                  .from(earlier)
                  .where(
                    and(
                      eq(earlier.userId, inbox.userId),
                      eq(earlier.status, 'pending'),
                      lt(earlier.id, inbox.id),
                    ),
                  ),
              ),
            ),
          )
          .orderBy(asc(inbox.id))
          .limit(limit);
        return rows.map((r) => r.userId);
      }),

    nextForUser: (userId) =>
      guardMysql(async () => {
        const [row] = await db
          .select()
          .from(inbox)
          .where(and(eq(inbox.userId, userId), eq(inbox.status, 'pending')))
          .orderBy(asc(inbox.id))
          .limit(1);
        return row ? toInboxItem(row) : null;
      }),

    recordFailure: (id, failure) =>
      guardMysql(async () => {
        await db
          .update(inbox)
          .set({
            attempts: sql`${inbox.attempts} + 1`,
            lastError: failure.error,
            ...(failure.retryAt === null ? { status: 'dead' as const } : { nextAttemptAt: failure.retryAt }),
          })
          // Only a pending item: a failure reported late must not revive or kill a finished one.
          .where(and(eq(inbox.id, id), eq(inbox.status, 'pending')));
      }),

    countByStatus: () =>
      guardMysql(async () =>
        inboxCounts(await db.select({ status: inbox.status, n: count() }).from(inbox).groupBy(inbox.status)),
      ),
  };
}
