/**
 * SQLite tables of the 微信客服 channel. Mirror tables.mysql.ts column by column (tablesGuard.ts fails to compile
 * when they drift apart).
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Where kf/sync_msg continues for each 客服账号 (WeCom: "强烈建议对该字段入库保存", doc 94670). */
export const kfCursors = sqliteTable('kf_cursors', {
  openKfid: text('open_kfid', { length: 64 }).primaryKey(),
  cursor: text('cursor', { length: 128 }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A pull wanted for a 客服账号 (a kf_msg_or_event notice was stored), with the notice's token: durable, so the pull is
 * not lost with the instance that took the notice. `seq` grows with every notice; a puller clears the row only at the
 * `seq` it read before pulling, so a notice arriving mid-pull keeps it.
 */
export const kfPullRequests = sqliteTable('kf_pull_requests', {
  openKfid: text('open_kfid', { length: 64 }).primaryKey(),
  token: text('token', { length: 128 }).notNull(),
  requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
  seq: integer('seq').notNull(),
});

/**
 * The sending window of one citizen on one 客服账号: when they last wrote (send_time), the times of our sends since
 * (at most 5 within 48 h of their last message, doc 94677), and an unused welcome code (send_msg_on_event, 20 s).
 * `version` makes every write a compare-and-set, so two senders cannot both take the last slot.
 */
export const kfWindows = sqliteTable(
  'kf_windows',
  {
    openKfid: text('open_kfid', { length: 64 }).notNull(),
    externalUserid: text('external_userid', { length: 64 }).notNull(),
    lastCustomerAt: integer('last_customer_at', { mode: 'timestamp_ms' }),
    sends: text('sends', { mode: 'json' }).$type<number[]>().notNull(),
    welcomeCode: text('welcome_code', { length: 128 }),
    welcomeCodeAt: integer('welcome_code_at', { mode: 'timestamp_ms' }),
    version: integer('version').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.openKfid, t.externalUserid] }),
    index('kf_windows_user_idx').on(t.externalUserid, t.updatedAt),
  ],
);
