import { desc, eq } from 'drizzle-orm';
import { drafts } from './tables.js';
import type { Draft, DraftStore } from '../../core/ports.js';
import { jsonValue, toDraft } from '../rows.js';
import type { SqliteDb } from './sqliteDb.js';
import { guardSqlite } from './sqliteErrors.js';

/** Change 'draft.save': inserts, or updates everything but createdAt of the draft with that id. */
export function saveSqliteDraft(db: SqliteDb, draft: Omit<Draft, 'createdAt' | 'updatedAt'>, at: Date): void {
  const fields = {
    userId: draft.userId,
    flowId: draft.flowId,
    title: draft.title,
    data: jsonValue(draft.data),
    updatedAt: at,
  };
  db.insert(drafts)
    .values({ id: draft.id, ...fields, createdAt: at })
    .onConflictDoUpdate({ target: drafts.id, set: fields })
    .run();
}

/** Change 'draft.delete': a no-op when the draft is gone. */
export function deleteSqliteDraft(db: SqliteDb, id: string): void {
  db.delete(drafts).where(eq(drafts.id, id)).run();
}

export function createSqliteDrafts(db: SqliteDb): DraftStore {
  return {
    get: (id) =>
      guardSqlite(() => {
        const row = db.select().from(drafts).where(eq(drafts.id, id)).get();
        return row ? toDraft(row) : null;
      }),

    listForUser: (userId) =>
      guardSqlite(() =>
        db
          .select()
          .from(drafts)
          .where(eq(drafts.userId, userId))
          .orderBy(desc(drafts.updatedAt), desc(drafts.id))
          .all()
          .map(toDraft),
      ),
  };
}
