import { eq } from 'drizzle-orm';
import { conversations } from './tables.js';
import type { ConversationStore } from '../../core/ports.js';
import { jsonValue, toConversation } from '../rows.js';
import type { MysqlDb } from './mysqlDb.js';
import type { MysqlGuard } from './mysqlErrors.js';

/** Change 'conversation.save': inserts or replaces the user's conversation (the primary key is the only key). */
export async function saveMysqlConversation(
  db: MysqlDb,
  userId: string,
  data: unknown,
  at: Date,
): Promise<void> {
  const value = jsonValue(data);
  await db
    .insert(conversations)
    .values({ userId, data: value, updatedAt: at })
    .onDuplicateKeyUpdate({ set: { data: value, updatedAt: at } });
}

/** Change 'conversation.delete': a no-op when the user has none. */
export async function deleteMysqlConversation(db: MysqlDb, userId: string): Promise<void> {
  await db.delete(conversations).where(eq(conversations.userId, userId));
}

export function createMysqlConversations(db: MysqlDb, guardMysql: MysqlGuard): ConversationStore {
  return {
    get: (userId) =>
      guardMysql(async () => {
        const [row] = await db.select().from(conversations).where(eq(conversations.userId, userId));
        return row ? toConversation(row) : null;
      }),
  };
}
