/**
 * MySQL / MariaDB schema (production). Mirrors db/sqlite.ts column by column; db/types.ts fails to compile when the
 * two drift apart. DATETIME(3) holds UTC (the pool sets `time_zone='+00:00'` on every connection, and drizzle
 * writes Dates as UTC strings); defaults come from `$defaultFn`, never from SQL, so they cannot depend on the
 * session time zone. Tables are utf8mb4 with a binary collation: set in the generated migration SQL, because
 * drizzle-kit emits no table options (see db/migrations/mysql).
 */
import {
  boolean,
  datetime,
  index,
  int,
  json,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import type { OutboundMessage } from '../src/wecom/outbound.js';
import {
  COSIGNER_STATUS,
  INBOX_STATUS,
  MEMBER_ROLE,
  NOTICE_ANSWER,
  NOTICE_DELIVERY,
  NOTICE_REMINDER_KIND,
  NOTICE_STATUS,
  OUTBOX_STATUS,
  PROPOSAL_STATUS,
  type CardUpdate,
  type NoticeAudienceValue,
} from './types.js';

const ms = { mode: 'date', fsp: 3 } as const;

export const inbox = mysqlTable(
  'inbox',
  {
    id: int('id').autoincrement().primaryKey(),
    // 191 characters × 4 bytes stays under the 767-byte index limit of older row formats.
    dedupKey: varchar('dedup_key', { length: 191 }).notNull(),
    userId: varchar('user_id', { length: 191 }).notNull(),
    kind: varchar('kind', { length: 64 }).notNull(),
    // mediumtext: event payloads (approval, contact changes) can exceed TEXT's 64 KiB once base64-encoded.
    encrypted: mediumtext('encrypted').notNull(),
    receivedAt: datetime('received_at', ms).notNull(),
    status: mysqlEnum('status', INBOX_STATUS).notNull(),
    attempts: int('attempts').notNull(),
    nextAttemptAt: datetime('next_attempt_at', ms).notNull(),
    lastError: text('last_error'),
    doneAt: datetime('done_at', ms),
  },
  (t) => [
    uniqueIndex('inbox_dedup_key_uq').on(t.dedupKey),
    index('inbox_status_next_idx').on(t.status, t.nextAttemptAt),
    index('inbox_user_status_id_idx').on(t.userId, t.status, t.id),
  ],
);

export const outbox = mysqlTable(
  'outbox',
  {
    id: int('id').autoincrement().primaryKey(),
    dedupKey: varchar('dedup_key', { length: 191 }).notNull(),
    toUser: varchar('to_user', { length: 191 }).notNull(),
    message: json('message').$type<OutboundMessage>().notNull(),
    status: mysqlEnum('status', OUTBOX_STATUS).notNull(),
    attempts: int('attempts').notNull(),
    nextAttemptAt: datetime('next_attempt_at', ms).notNull(),
    lastErrcode: int('last_errcode'),
    lastError: text('last_error'),
    wecomMsgId: varchar('wecom_msg_id', { length: 255 }),
    createdAt: datetime('created_at', ms)
      .notNull()
      .$defaultFn(() => new Date()),
    sentAt: datetime('sent_at', ms),
    // A batch (up to 1000 userids in one message/send); null for a message to toUser alone.
    recipients: json('recipients').$type<string[]>(),
    noticeId: int('notice_id'),
    cardUpdate: json('card_update').$type<CardUpdate>(),
  },
  (t) => [
    uniqueIndex('outbox_dedup_key_uq').on(t.dedupKey),
    index('outbox_status_next_idx').on(t.status, t.nextAttemptAt),
    index('outbox_to_user_id_idx').on(t.toUser, t.id),
  ],
);

export const members = mysqlTable('members', {
  userId: varchar('user_id', { length: 64 }).primaryKey(),
  name: varchar('name', { length: 100 }).notNull(),
  role: mysqlEnum('role', MEMBER_ROLE).notNull(),
  sector: varchar('sector', { length: 100 }),
  committee: varchar('committee', { length: 100 }),
  mobile: varchar('mobile', { length: 32 }),
  active: boolean('active').notNull(),
  createdAt: datetime('created_at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
  updatedAt: datetime('updated_at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

export const conversations = mysqlTable('conversations', {
  userId: varchar('user_id', { length: 64 }).primaryKey(),
  data: json('data').$type<unknown>().notNull(),
  updatedAt: datetime('updated_at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

export const drafts = mysqlTable(
  'drafts',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    userId: varchar('user_id', { length: 64 }).notNull(),
    flowId: varchar('flow_id', { length: 64 }).notNull(),
    title: varchar('title', { length: 255 }),
    data: json('data').$type<unknown>().notNull(),
    createdAt: datetime('created_at', ms)
      .notNull()
      .$defaultFn(() => new Date()),
    updatedAt: datetime('updated_at', ms)
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [index('drafts_user_updated_idx').on(t.userId, t.updatedAt)],
);

export const proposals = mysqlTable(
  'proposals',
  {
    id: int('id').autoincrement().primaryKey(),
    submitKey: varchar('submit_key', { length: 191 }).notNull(),
    year: int('year').notNull(),
    seq: int('seq').notNull(),
    number: varchar('number', { length: 64 }).notNull(),
    ownerId: varchar('owner_id', { length: 64 }).notNull(),
    title: varchar('title', { length: 255 }).notNull(),
    category: varchar('category', { length: 64 }),
    subcategory: varchar('subcategory', { length: 64 }),
    reason: text('reason').notNull(),
    suggestions: text('suggestions').notNull(),
    handlingUnits: json('handling_units').$type<string[]>().notNull(),
    isPublic: boolean('is_public').notNull(),
    /** 不公开理由, when the member asked not to publish. */
    privateReason: text('private_reason'),
    status: mysqlEnum('status', PROPOSAL_STATUS).notNull(),
    submittedAt: datetime('submitted_at', ms).notNull(),
    updatedAt: datetime('updated_at', ms)
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [
    uniqueIndex('proposals_submit_key_uq').on(t.submitKey),
    uniqueIndex('proposals_year_seq_uq').on(t.year, t.seq),
    index('proposals_owner_idx').on(t.ownerId),
  ],
);

export const proposalEvents = mysqlTable(
  'proposal_events',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    status: mysqlEnum('status', PROPOSAL_STATUS).notNull(),
    note: text('note'),
    at: datetime('at', ms).notNull(),
  },
  (t) => [index('proposal_events_proposal_id_idx').on(t.proposalId, t.id)],
);

export const cosigners = mysqlTable(
  'cosigners',
  {
    proposalId: int('proposal_id').notNull(),
    userId: varchar('user_id', { length: 64 }).notNull(),
    status: mysqlEnum('status', COSIGNER_STATUS).notNull(),
    respondedAt: datetime('responded_at', ms),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('cosigners_user_idx').on(t.userId)],
);

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
    audience: json('audience').$type<NoticeAudienceValue>().notNull(),
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
