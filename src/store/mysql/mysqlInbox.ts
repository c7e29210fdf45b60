import { and, asc, count, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import { inbox } from './tables.js';
import type { InboxStore } from '../../core/ports.js';
import { inboxCounts, toInboxItem } from '../rows.js';
import type { MysqlDb } from './mysqlDb.js';
import { isMysqlDuplicate, type MysqlGuard } from './mysqlErrors.js';

export function createMysqlInbox(db: MysqlDb, guardMysql: MysqlGuard): InboxStore {
  return {
    add: (envelope) =>
      guardMysql(async () => {
        try {
          await db
            .insert(inbox)
            .values({ ...envelope, status: 'pending', attempts: 0, nextAttemptAt: envelope.receivedAt });
          return 'stored';
        } catch (err) {
          // A plain insert and a caught ER_DUP_ENTRY (not INSERT IGNORE, which would also swallow truncation and
          // other errors as warnings).
          if (isMysqlDuplicate(err)) return 'duplicate';
          throw err;
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
