/**
 * MySQL / MariaDB core tables (production). Mirror src/store/sqlite/tables.ts column by column;
 * src/store/tablesGuard.ts fails to compile when the two drift apart. Feature tables live with their feature
 * (src/features/<f>/tables.*.ts). DATETIME(3) holds UTC (the pool sets `time_zone='+00:00'` on every connection,
 * and drizzle writes Dates as UTC strings); defaults come from `$defaultFn`, never from SQL, so they cannot depend
 * on the session time zone. Tables are utf8mb4 with a binary collation: set in the generated migration SQL, because
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
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import type { CardUpdate } from '../../core/ports.js';
import type { OutboundMessage } from '../../wecom/outbound.js';
import { DEFAULT_CHANNEL, INBOX_STATUS, MEMBER_ROLE, OUTBOX_STATUS } from '../columnValues.js';

/** DATETIME(3) read and written as a Date: millisecond precision like SQLite's timestamp_ms. */
export const ms = { mode: 'date', fsp: 3 } as const;

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
    // The channel that stored it and decodes it (existing rows are WeCom app callbacks).
    channel: varchar('channel', { length: 32 }).notNull().default(DEFAULT_CHANNEL),
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
    // The channel that delivers the row (a constant SQL default, so existing rows read as the WeCom app).
    channel: varchar('channel', { length: 32 }).notNull().default(DEFAULT_CHANNEL),
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
  /** The 承办单位 a unit contact acts for. */
  unit: varchar('unit', { length: 100 }),
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
