import { inArray, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { SqliteDb } from './sqliteDb.js';

/** What to lease: the due rows of `table` (oldest by `orderBy` first), and the update that leases them. */
export interface LeaseClaim<T extends SQLiteTable & { id: SQLiteColumn }> {
  table: T;
  due: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  lease: SQLiteUpdateSetSource<T>;
}

/**
 * Leases up to `limit` due rows in one transaction and returns them as read (before the lease). IMMEDIATE takes the
 * write lock before reading, so two processes sharing the file cannot both read the same candidates and lease
 * them twice. The outbox, the notice reminders and any other leased queue use this one claim.
 */
export function claimLeased<T extends SQLiteTable & { id: SQLiteColumn }>(
  db: SqliteDb,
  claim: LeaseClaim<T>,
): T['$inferSelect'][] {
  return db.transaction(
    (tx) => {
      const rows: T['$inferSelect'][] = tx
        .select()
        .from(claim.table)
        .where(claim.due)
        .orderBy(...claim.orderBy)
        .limit(claim.limit)
        .all();
      if (rows.length === 0) return [];
      tx.update(claim.table)
        .set(claim.lease)
        .where(
          inArray(
            claim.table.id,
            rows.map((r) => r.id),
          ),
        )
        .run();
      return rows;
    },
    { behavior: 'immediate' },
  );
}
