import { inArray, type SQL } from 'drizzle-orm';
import type { MySqlColumn, MySqlTable, MySqlUpdateSetSource } from 'drizzle-orm/mysql-core';
import type { MysqlDb } from './mysqlDb.js';

/** What to lease: the due rows of `table` (oldest by `orderBy` first), and the update that leases them. */
export interface LeaseClaim<T extends MySqlTable & { id: MySqlColumn }> {
  table: T;
  due: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  lease: MySqlUpdateSetSource<T>;
}

/**
 * Leases up to `limit` due rows in one transaction and returns them as read (before the lease). FOR UPDATE SKIP
 * LOCKED (MariaDB ≥10.6, MySQL ≥8): a concurrent claimer skips the rows this one holds instead of waiting for them
 * or taking them too; the lease update commits before the locks go. READ COMMITTED avoids the gap locks REPEATABLE
 * READ would take on the range scan. The outbox, the notice reminders and any other leased queue use this one claim.
 */
export async function claimLeased<T extends MySqlTable & { id: MySqlColumn }>(
  db: MysqlDb,
  claim: LeaseClaim<T>,
): Promise<T['$inferSelect'][]> {
  return db.transaction(
    async (tx) => {
      const rows: T['$inferSelect'][] = await tx
        .select()
        .from(claim.table)
        .where(claim.due)
        .orderBy(...claim.orderBy)
        .limit(claim.limit)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      await tx
        .update(claim.table)
        .set(claim.lease)
        .where(
          inArray(
            claim.table.id,
            rows.map((r) => r.id),
          ),
        );
      return rows;
    },
    { isolationLevel: 'read committed' },
  );
}
