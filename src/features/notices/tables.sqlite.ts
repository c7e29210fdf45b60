/** SQLite tables of the notices feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { NoticeAudience } from './ports.js';
import { NOTICE_ANSWER, NOTICE_DELIVERY, NOTICE_REMINDER_KIND, NOTICE_STATUS } from './columnValues.js';

export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createKey: text('create_key', { length: 191 }).notNull(),
    title: text('title', { length: 255 }).notNull(),
    kind: text('kind', { length: 32 }).notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    place: text('place', { length: 255 }).notNull(),
    content: text('content').notNull(),
    audience: text('audience', { mode: 'json' }).$type<NoticeAudience>().notNull(),
    replyBy: integer('reply_by', { mode: 'timestamp_ms' }).notNull(),
    leaveNeedsReason: integer('leave_needs_reason', { mode: 'boolean' }).notNull(),
    createdBy: text('created_by', { length: 64 }).notNull(),
    status: text('status', { enum: NOTICE_STATUS }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('notices_create_key_uq').on(t.createKey), index('notices_sent_at_idx').on(t.sentAt)],
);

export const noticeRecipients = sqliteTable(
  'notice_recipients',
  {
    noticeId: integer('notice_id').notNull(),
    userId: text('user_id', { length: 64 }).notNull(),
    name: text('name', { length: 100 }).notNull(),
    answer: text('answer', { enum: NOTICE_ANSWER }),
    reason: text('reason'),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    delivery: text('delivery', { enum: NOTICE_DELIVERY }).notNull(),
    deliveryError: text('delivery_error', { length: 255 }),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.noticeId, t.userId] }),
    index('notice_recipients_user_idx').on(t.userId, t.noticeId),
  ],
);

export const noticeReminders = sqliteTable(
  'notice_reminders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    noticeId: integer('notice_id').notNull(),
    kind: text('kind', { enum: NOTICE_REMINDER_KIND }).notNull(),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('notice_reminders_notice_kind_uq').on(t.noticeId, t.kind),
    index('notice_reminders_due_idx').on(t.doneAt, t.dueAt),
  ],
);
