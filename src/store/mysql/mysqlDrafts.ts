import { desc, eq } from 'drizzle-orm';
import { drafts } from './tables.js';
import type { Draft, DraftStore } from '../../core/ports.js';
import { jsonValue, toDraft } from '../rows.js';
import type { MysqlDb } from './mysqlDb.js';
import type { MysqlGuard } from './mysqlErrors.js';

/** Change 'draft.save': inserts, or updates everything but createdAt of the draft with that id. */
export async function saveMysqlDraft(
  db: MysqlDb,
  draft: Omit<Draft, 'createdAt' | 'updatedAt'>,
  at: Date,
): Promise<void> {
  const fields = {
    userId: draft.userId,
    flowId: draft.flowId,
    title: draft.title,
    data: jsonValue(draft.data),
    updatedAt: at,
  };
  // The primary key is the table's only unique key, so ODKU cannot hide another conflict.
  await db
    .insert(drafts)
    .values({ id: draft.id, ...fields, createdAt: at })
    .onDuplicateKeyUpdate({ set: fields });
}

/** Change 'draft.delete': a no-op when the draft is gone. */
export async function deleteMysqlDraft(db: MysqlDb, id: string): Promise<void> {
  await db.delete(drafts).where(eq(drafts.id, id));
}

export function createMysqlDrafts(db: MysqlDb, guardMysql: MysqlGuard): DraftStore {
  return {
    get: (id) =>
      guardMysql(async () => {
        const [row] = await db.select().from(drafts).where(eq(drafts.id, id));
        return row ? toDraft(row) : null;
      }),

    listForUser: (userId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(drafts)
            .where(eq(drafts.userId, userId))
            .orderBy(desc(drafts.updatedAt), desc(drafts.id))
        ).map(toDraft),
      ),
  };
}
