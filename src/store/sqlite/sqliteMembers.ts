import { asc, count, eq } from 'drizzle-orm';
import { members } from './tables.js';
import type { MemberStore } from '../../core/ports.js';
import { toMember } from '../rows.js';
import type { SqliteDb } from './sqliteDb.js';
import { guardSqlite } from './sqliteErrors.js';

export function createSqliteMembers(db: SqliteDb): MemberStore {
  return {
    get: (userId) =>
      guardSqlite(() => {
        const row = db.select().from(members).where(eq(members.userId, userId)).get();
        return row ? toMember(row) : null;
      }),

    upsertMany: (list) =>
      guardSqlite(() =>
        // One synchronous transaction: a failing row (e.g. a missing name) rolls back the whole import.
        db.transaction(
          (tx) => {
            const now = new Date();
            let inserted = 0;
            let updated = 0;
            for (const m of list) {
              const exists = tx
                .select({ userId: members.userId })
                .from(members)
                .where(eq(members.userId, m.userId))
                .get();
              if (exists) {
                tx.update(members)
                  .set({
                    name: m.name,
                    role: m.role,
                    sector: m.sector,
                    committee: m.committee,
                    mobile: m.mobile,
                    active: m.active,
                    unit: m.unit ?? null,
                    updatedAt: now,
                  })
                  .where(eq(members.userId, m.userId))
                  .run();
                updated++;
              } else {
                tx.insert(members)
                  .values({ ...m, unit: m.unit ?? null, createdAt: now, updatedAt: now })
                  .run();
                inserted++;
              }
            }
            return { inserted, updated };
          },
          { behavior: 'immediate' },
        ),
      ),

    list: () => guardSqlite(() => db.select().from(members).orderBy(asc(members.userId)).all().map(toMember)),

    count: () => guardSqlite(() => db.select({ n: count() }).from(members).get()?.n ?? 0),
  };
}
