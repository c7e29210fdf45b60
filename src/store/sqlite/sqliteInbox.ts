import { and, asc, count, eq, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { inbox } from './tables.js';
import { DEFAULT_CHANNEL } from '../columnValues.js';
import type { InboxStore } from '../../core/ports.js';
import { inboxCounts, toInboxItem } from '../rows.js';
import type { SqliteDb } from './sqliteDb.js';
import type { GroupCommit } from './groupCommit.js';
import { guardSqlite, isSqliteUniqueViolation, toSqliteStoreError } from './sqliteErrors.js';

export function createSqliteInbox(db: SqliteDb, group: GroupCommit): InboxStore {
  // Prepared once: the ack path runs this insert for every callback (values are mapped by the columns as usual).
  const insert = db
    .insert(inbox)
    .values({
      dedupKey: sql.placeholder('dedupKey'),
      userId: sql.placeholder('userId'),
      kind: sql.placeholder('kind'),
      encrypted: sql.placeholder('encrypted'),
      receivedAt: sql.placeholder('receivedAt'),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: sql.placeholder('receivedAt'),
      channel: sql.placeholder('channel'),
    })
    .prepare();
  return {
    async add(envelope) {
      // Group commit: callbacks arriving together share one transaction and one fsync; this resolves once the
      // row is durable. A single statement, so a failed insert undoes itself without a savepoint.
      const values = { ...envelope, channel: envelope.channel ?? DEFAULT_CHANNEL };
      // The statement runs on the same connection, so inside the group's transaction.
      return group.run(() => {
        try {
          insert.run(values);
          return 'stored' as const;
        } catch (err) {
          // A plain insert and a caught unique violation (not INSERT OR IGNORE): any other failure still surfaces.
          if (isSqliteUniqueViolation(err)) return 'duplicate' as const;
          throw toSqliteStoreError(err);
        }
      });
    },

    pendingUsers: (now, limit) =>
      guardSqlite(() => {
        // Only users whose OLDEST pending item is due: a due later item cannot be processed before the earlier
        // one that is backing off, and listing such users would let blocked users fill `limit` and starve others.
        const earlier = alias(inbox, 'earlier');
        const rows = db
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
          .limit(limit)
          .all();
        return rows.map((r) => r.userId);
      }),

    nextForUser: (userId) =>
      guardSqlite(() => {
        const row = db
          .select()
          .from(inbox)
          .where(and(eq(inbox.userId, userId), eq(inbox.status, 'pending')))
          .orderBy(asc(inbox.id))
          .limit(1)
          .get();
        return row ? toInboxItem(row) : null;
      }),

    recordFailure: (id, failure) =>
      guardSqlite(() => {
        db.update(inbox)
          .set({
            attempts: sql`${inbox.attempts} + 1`,
            lastError: failure.error,
            ...(failure.retryAt === null ? { status: 'dead' as const } : { nextAttemptAt: failure.retryAt }),
          })
          // Only a pending item: a failure reported late must not revive or kill a finished one.
          .where(and(eq(inbox.id, id), eq(inbox.status, 'pending')))
          .run();
      }),

    countByStatus: () =>
      guardSqlite(() =>
        inboxCounts(db.select({ status: inbox.status, n: count() }).from(inbox).groupBy(inbox.status).all()),
      ),
  };
}
