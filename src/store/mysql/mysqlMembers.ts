import { asc, count, eq, inArray } from 'drizzle-orm';
import { members } from './tables.js';
import type { Member, MemberStore } from '../../core/ports.js';
import { INSERT_CHUNK, chunks, toMember } from '../rows.js';
import type { MysqlDb } from './mysqlDb.js';
import type { MysqlGuard } from './mysqlErrors.js';

export function createMysqlMembers(db: MysqlDb, guardMysql: MysqlGuard, guardBulk: MysqlGuard): MemberStore {
  return {
    get: (userId) =>
      guardMysql(async () => {
        const [row] = await db.select().from(members).where(eq(members.userId, userId));
        return row ? toMember(row) : null;
      }),

    upsertMany: (list) =>
      guardBulk(() =>
        // One transaction: a failing row (e.g. a missing name) rolls back the whole import. Existing ids are read
        // first rather than counted from ODKU's affectedRows, which is ambiguous (1 for insert and for no-change).
        db.transaction(async (tx) => {
          const now = new Date();
          const existing = new Set<string>();
          for (const part of chunks([...new Set(list.map((m) => m.userId))], INSERT_CHUNK)) {
            const rows = await tx
              .select({ userId: members.userId })
              .from(members)
              .where(inArray(members.userId, part))
              .for('update');
            for (const r of rows) existing.add(r.userId);
          }
          const toInsert = new Map<string, Member>();
          let updated = 0;
          for (const m of list) {
            if (existing.has(m.userId)) {
              await tx
                .update(members)
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
                .where(eq(members.userId, m.userId));
              updated++;
            } else if (toInsert.has(m.userId)) {
              // The same user twice in one import: the later row wins, counted as an update like on SQLite.
              toInsert.set(m.userId, m);
              updated++;
            } else {
              toInsert.set(m.userId, m);
            }
          }
          for (const part of chunks([...toInsert.values()], INSERT_CHUNK)) {
            await tx.insert(members).values(
              part.map((m) => ({
                userId: m.userId,
                name: m.name,
                role: m.role,
                sector: m.sector,
                committee: m.committee,
                mobile: m.mobile,
                active: m.active,
                unit: m.unit ?? null,
                createdAt: now,
                updatedAt: now,
              })),
            );
          }
          return { inserted: toInsert.size, updated };
        }),
      ),

    list: () =>
      guardMysql(async () => (await db.select().from(members).orderBy(asc(members.userId))).map(toMember)),

    count: () => guardMysql(async () => (await db.select({ n: count() }).from(members))[0]?.n ?? 0),
  };
}
