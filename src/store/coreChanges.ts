import { eq } from 'drizzle-orm';
import type { CoreChange } from '../core/ports.js';
import { inbox as mysqlInbox } from './mysql/tables.js';
import { inbox as sqliteInbox } from './sqlite/tables.js';
import { defineChanges } from './changeAppliers.js';
import { deleteMysqlConversation, saveMysqlConversation } from './mysql/mysqlConversations.js';
import { deleteMysqlDraft, saveMysqlDraft } from './mysql/mysqlDrafts.js';
import { addMysqlOutbox, markMysqlOutboxFailed, markMysqlOutboxSent } from './mysql/mysqlOutbox.js';
import { deleteSqliteConversation, saveSqliteConversation } from './sqlite/sqliteConversations.js';
import { deleteSqliteDraft, saveSqliteDraft } from './sqlite/sqliteDrafts.js';
import { addSqliteOutbox, markSqliteOutboxFailed, markSqliteOutboxSent } from './sqlite/sqliteOutbox.js';

/** How each core change is written inside the commit's transaction (features bring their own appliers). */
export const coreChanges = defineChanges<CoreChange>({
  sqlite: {
    'inbox.done': (tx, c) =>
      tx.update(sqliteInbox).set({ status: 'done', doneAt: c.at }).where(eq(sqliteInbox.id, c.id)).run(),
    'inbox.dead': (tx, c) =>
      tx
        .update(sqliteInbox)
        .set({ status: 'dead', lastError: c.reason, doneAt: c.at })
        .where(eq(sqliteInbox.id, c.id))
        .run(),
    'outbox.add': (tx, c) => addSqliteOutbox(tx, c.message, c.at),
    'conversation.save': (tx, c) => saveSqliteConversation(tx, c.userId, c.data, c.at),
    'conversation.delete': (tx, c) => deleteSqliteConversation(tx, c.userId),
    'draft.save': (tx, c) => saveSqliteDraft(tx, c.draft, c.at),
    'draft.delete': (tx, c) => deleteSqliteDraft(tx, c.id),
    'outbox.sent': (tx, c) => markSqliteOutboxSent(tx, c.id, c.sentAt, c.wecomMsgId),
    'outbox.failed': (tx, c) => markSqliteOutboxFailed(tx, c.id, c),
  },
  mysql: {
    'inbox.done': async (tx, c) => {
      await tx.update(mysqlInbox).set({ status: 'done', doneAt: c.at }).where(eq(mysqlInbox.id, c.id));
    },
    'inbox.dead': async (tx, c) => {
      await tx
        .update(mysqlInbox)
        .set({ status: 'dead', lastError: c.reason, doneAt: c.at })
        .where(eq(mysqlInbox.id, c.id));
    },
    'outbox.add': (tx, c) => addMysqlOutbox(tx, c.message, c.at),
    'conversation.save': (tx, c) => saveMysqlConversation(tx, c.userId, c.data, c.at),
    'conversation.delete': (tx, c) => deleteMysqlConversation(tx, c.userId),
    'draft.save': (tx, c) => saveMysqlDraft(tx, c.draft, c.at),
    'draft.delete': (tx, c) => deleteMysqlDraft(tx, c.id),
    'outbox.sent': (tx, c) => markMysqlOutboxSent(tx, c.id, c.sentAt, c.wecomMsgId),
    'outbox.failed': (tx, c) => markMysqlOutboxFailed(tx, c.id, c),
  },
});
