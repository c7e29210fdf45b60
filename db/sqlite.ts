/**
 * SQLite schema (embedded default). Mirrors db/mysql.ts column by column; db/types.ts fails to compile when the two
 * drift apart. Timestamps are integer milliseconds (`timestamp_ms`) so they sort and compare as numbers; defaults
 * come from `$defaultFn` rather than SQL so both dialects produce the same values (SQLite has no ms-precision
 * CURRENT_TIMESTAMP, and a MySQL default would depend on the session time zone).
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
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

export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupKey: text('dedup_key', { length: 191 }).notNull(),
    userId: text('user_id', { length: 191 }).notNull(),
    kind: text('kind', { length: 64 }).notNull(),
    encrypted: text('encrypted').notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', { enum: INBOX_STATUS }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('inbox_dedup_key_uq').on(t.dedupKey),
    index('inbox_status_next_idx').on(t.status, t.nextAttemptAt),
    index('inbox_user_status_id_idx').on(t.userId, t.status, t.id),
  ],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupKey: text('dedup_key', { length: 191 }).notNull(),
    toUser: text('to_user', { length: 191 }).notNull(),
    message: text('message', { mode: 'json' }).$type<OutboundMessage>().notNull(),
    status: text('status', { enum: OUTBOX_STATUS }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastErrcode: integer('last_errcode'),
    lastError: text('last_error'),
    wecomMsgId: text('wecom_msg_id', { length: 255 }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    recipients: text('recipients', { mode: 'json' }).$type<string[]>(),
    noticeId: integer('notice_id'),
    cardUpdate: text('card_update', { mode: 'json' }).$type<CardUpdate>(),
  },
  (t) => [
    uniqueIndex('outbox_dedup_key_uq').on(t.dedupKey),
    index('outbox_status_next_idx').on(t.status, t.nextAttemptAt),
    index('outbox_to_user_id_idx').on(t.toUser, t.id),
  ],
);

export const members = sqliteTable('members', {
  userId: text('user_id', { length: 64 }).primaryKey(),
  name: text('name', { length: 100 }).notNull(),
  role: text('role', { enum: MEMBER_ROLE }).notNull(),
  sector: text('sector', { length: 100 }),
  committee: text('committee', { length: 100 }),
  mobile: text('mobile', { length: 32 }),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
});

export const conversations = sqliteTable('conversations', {
  userId: text('user_id', { length: 64 }).primaryKey(),
  data: text('data', { mode: 'json' }).$type<unknown>().notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
});

export const drafts = sqliteTable(
  'drafts',
  {
    id: text('id', { length: 64 }).primaryKey(),
    userId: text('user_id', { length: 64 }).notNull(),
    flowId: text('flow_id', { length: 64 }).notNull(),
    title: text('title', { length: 255 }),
    data: text('data', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [index('drafts_user_updated_idx').on(t.userId, t.updatedAt)],
);

export const proposals = sqliteTable(
  'proposals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submitKey: text('submit_key', { length: 191 }).notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number', { length: 64 }).notNull(),
    ownerId: text('owner_id', { length: 64 }).notNull(),
    title: text('title', { length: 255 }).notNull(),
    category: text('category', { length: 64 }),
    subcategory: text('subcategory', { length: 64 }),
    reason: text('reason').notNull(),
    suggestions: text('suggestions').notNull(),
    handlingUnits: text('handling_units', { mode: 'json' }).$type<string[]>().notNull(),
    isPublic: integer('is_public', { mode: 'boolean' }).notNull(),
    /** 不公开理由, when the member asked not to publish. */
    privateReason: text('private_reason'),
    status: text('status', { enum: PROPOSAL_STATUS }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [
    uniqueIndex('proposals_submit_key_uq').on(t.submitKey),
    uniqueIndex('proposals_year_seq_uq').on(t.year, t.seq),
    index('proposals_owner_idx').on(t.ownerId),
  ],
);

export const proposalEvents = sqliteTable(
  'proposal_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    status: text('status', { enum: PROPOSAL_STATUS }).notNull(),
    note: text('note'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('proposal_events_proposal_id_idx').on(t.proposalId, t.id)],
);

export const cosigners = sqliteTable(
  'cosigners',
  {
    proposalId: integer('proposal_id').notNull(),
    userId: text('user_id', { length: 64 }).notNull(),
    status: text('status', { enum: COSIGNER_STATUS }).notNull(),
    respondedAt: integer('responded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('cosigners_user_idx').on(t.userId)],
);

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
    audience: text('audience', { mode: 'json' }).$type<NoticeAudienceValue>().notNull(),
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
