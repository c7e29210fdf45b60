/** MySQL / MariaDB tables of the notices feature. Mirror tables.sqlite.ts; tablesGuard.ts fails to compile when they drift. */
import {
  boolean,
  datetime,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import type { NoticeAudience } from './ports.js';
import { ms } from '../../store/mysql/tables.js';
import { NOTICE_ANSWER, NOTICE_DELIVERY, NOTICE_REMINDER_KIND, NOTICE_STATUS } from './columnValues.js';

export const notices = mysqlTable(
  'notices',
  {
    id: int('id').autoincrement().primaryKey(),
    createKey: varchar('create_key', { length: 191 }).notNull(),
    title: varchar('title', { length: 255 }).notNull(),
    kind: varchar('kind', { length: 32 }).notNull(),
    startsAt: datetime('starts_at', ms).notNull(),
    place: varchar('place', { length: 255 }).notNull(),
    content: text('content').notNull(),
    audience: json('audience').$type<NoticeAudience>().notNull(),
    replyBy: datetime('reply_by', ms).notNull(),
    leaveNeedsReason: boolean('leave_needs_reason').notNull(),
    createdBy: varchar('created_by', { length: 64 }).notNull(),
    status: mysqlEnum('status', NOTICE_STATUS).notNull(),
    createdAt: datetime('created_at', ms).notNull(),
    sentAt: datetime('sent_at', ms),
  },
  (t) => [uniqueIndex('notices_create_key_uq').on(t.createKey), index('notices_sent_at_idx').on(t.sentAt)],
);

export const noticeRecipients = mysqlTable(
  'notice_recipients',
  {
    noticeId: int('notice_id').notNull(),
    userId: varchar('user_id', { length: 64 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    answer: mysqlEnum('answer', NOTICE_ANSWER),
    reason: text('reason'),
    answeredAt: datetime('answered_at', ms),
    delivery: mysqlEnum('delivery', NOTICE_DELIVERY).notNull(),
    deliveryError: varchar('delivery_error', { length: 255 }),
    deliveredAt: datetime('delivered_at', ms),
  },
  (t) => [
    primaryKey({ columns: [t.noticeId, t.userId] }),
    index('notice_recipients_user_idx').on(t.userId, t.noticeId),
  ],
);

export const noticeReminders = mysqlTable(
  'notice_reminders',
  {
    id: int('id').autoincrement().primaryKey(),
    noticeId: int('notice_id').notNull(),
    kind: mysqlEnum('kind', NOTICE_REMINDER_KIND).notNull(),
    dueAt: datetime('due_at', ms).notNull(),
    leaseUntil: datetime('lease_until', ms),
    doneAt: datetime('done_at', ms),
  },
  (t) => [
    uniqueIndex('notice_reminders_notice_kind_uq').on(t.noticeId, t.kind),
    index('notice_reminders_due_idx').on(t.doneAt, t.dueAt),
  ],
);
