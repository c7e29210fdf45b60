import { and, asc, count, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import type { Pool } from 'mysql2';
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

export function createMysqlInbox(db: MysqlDb, guardMysql: MysqlGuard, pool: Pool): InboxStore {
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

  // The multi-row insert, its SQL text written once per row count and run with the driver's own escaping: through
  // the query builder each batch cost more CPU than the rest of the acknowledgement, and as a server-side prepared
  // statement (one per row count and connection, each with 9 parameter definitions per row) more still. The columns
  // and the value mapping are the table's (drizzle's column encoders); only the statement is written here.
  const insertSql = new Map<number, string>();
  const COLUMNS = [
    inbox.dedupKey,
    inbox.userId,
    inbox.kind,
    inbox.channel,
    inbox.encrypted,
    inbox.receivedAt,
    inbox.status,
    inbox.attempts,
    inbox.nextAttemptAt,
  ];
  function batchSql(n: number): string {
    let text = insertSql.get(n);
    if (text === undefined) {
      const tuple = `(${COLUMNS.map(() => '?').join(',')})`;
      text =
        `insert into \`inbox\` (${COLUMNS.map((c) => `\`${c.name}\``).join(',')}) values ` +
        Array.from({ length: n }, () => tuple).join(',');
      insertSql.set(n, text);
    }
    return text;
  }
  function batchParams(batch: QueuedAdd[]): (string | number)[] {
    const params: (string | number)[] = [];
    for (const { envelope } of batch) {
      const at = inbox.receivedAt.mapToDriverValue(envelope.receivedAt) as string;
      params.push(
        envelope.dedupKey,
        envelope.userId,
        envelope.kind,
        envelope.channel ?? DEFAULT_CHANNEL,
        envelope.encrypted,
        at,
        'pending',
        0,
        at,
      );
    }
    return params;
  }
  const execute = (text: string, params: (string | number)[]): Promise<void> =>
    new Promise((resolve, reject) => pool.query(text, params, (err) => (err ? reject(err) : resolve())));

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
      await guardMysql(() => execute(batchSql(batch.length), batchParams(batch)));
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
