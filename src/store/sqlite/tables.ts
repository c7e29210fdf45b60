/**
 * SQLite core tables (embedded default). Mirror src/store/mysql/tables.ts column by column; src/store/tablesGuard.ts
 * fails to compile when the two drift apart. Feature tables live with their feature (src/features/<f>/tables.*.ts).
 * Timestamps are integer milliseconds (`timestamp_ms`) so they sort and compare as numbers; defaults come from
 * `$defaultFn` rather than SQL so both dialects produce the same values (SQLite has no ms-precision
 * CURRENT_TIMESTAMP, and a MySQL default would depend on the session time zone).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CardUpdate } from '../../core/ports.js';
import type { OutboundMessage } from '../../wecom/outbound.js';
import { DEFAULT_CHANNEL, INBOX_STATUS, MEMBER_ROLE, OUTBOX_STATUS } from '../columnValues.js';

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
    // The channel that stored it and decodes it (existing rows are WeCom app callbacks).
    channel: text('channel', { length: 32 }).notNull().default(DEFAULT_CHANNEL),
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
    // The channel that delivers the row (a constant SQL default, so existing rows read as the WeCom app).
    channel: text('channel', { length: 32 }).notNull().default(DEFAULT_CHANNEL),
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
  /** The 承办单位 a unit contact acts for. */
  unit: text('unit', { length: 100 }),
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
