/**
 * MySQL / MariaDB tables of the 微信客服 channel. Mirror tables.sqlite.ts column by column (tablesGuard.ts).
 */
import { datetime, index, int, json, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { ms } from '../../store/mysql/tables.js';

export const kfCursors = mysqlTable('kf_cursors', {
  openKfid: varchar('open_kfid', { length: 64 }).primaryKey(),
  cursor: varchar('cursor', { length: 128 }).notNull(),
  updatedAt: datetime('updated_at', ms).notNull(),
});

export const kfPullRequests = mysqlTable('kf_pull_requests', {
  openKfid: varchar('open_kfid', { length: 64 }).primaryKey(),
  token: varchar('token', { length: 128 }).notNull(),
  requestedAt: datetime('requested_at', ms).notNull(),
  seq: int('seq').notNull(),
});

export const kfWindows = mysqlTable(
  'kf_windows',
  {
    openKfid: varchar('open_kfid', { length: 64 }).notNull(),
    externalUserid: varchar('external_userid', { length: 64 }).notNull(),
    lastCustomerAt: datetime('last_customer_at', ms),
    sends: json('sends').$type<number[]>().notNull(),
    welcomeCode: varchar('welcome_code', { length: 128 }),
    welcomeCodeAt: datetime('welcome_code_at', ms),
    version: int('version').notNull(),
    updatedAt: datetime('updated_at', ms).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.openKfid, t.externalUserid] }),
    index('kf_windows_user_idx').on(t.externalUserid, t.updatedAt),
  ],
);
