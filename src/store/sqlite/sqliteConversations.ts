import { eq } from 'drizzle-orm';
import { conversations } from './tables.js';
import type { ConversationStore } from '../../core/ports.js';
import { jsonValue, toConversation } from '../rows.js';
import type { SqliteDb } from './sqliteDb.js';
import { guardSqlite } from './sqliteErrors.js';

/** Change 'conversation.save': inserts or replaces the user's conversation. */
export function saveSqliteConversation(db: SqliteDb, userId: string, data: unknown, at: Date): void {
  const value = jsonValue(data);
  db.insert(conversations)
    .values({ userId, data: value, updatedAt: at })
    .onConflictDoUpdate({ target: conversations.userId, set: { data: value, updatedAt: at } })
    .run();
}

/** Change 'conversation.delete': a no-op when the user has none. */
export function deleteSqliteConversation(db: SqliteDb, userId: string): void {
  db.delete(conversations).where(eq(conversations.userId, userId)).run();
}

export function createSqliteConversations(db: SqliteDb): ConversationStore {
  return {
    get: (userId) =>
      guardSqlite(() => {
        const row = db.select().from(conversations).where(eq(conversations.userId, userId)).get();
        return row ? toConversation(row) : null;
      }),
  };
}
