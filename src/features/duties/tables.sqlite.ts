/** SQLite tables of the duties feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES } from './ports.js';

export const dutyAttendance = sqliteTable(
  'duty_attendance',
  {
    noticeId: integer('notice_id').notNull(),
    userId: text('user_id', { length: 64 }).notNull(),
    status: text('status', { enum: ATTENDANCE_STATUSES }).notNull(),
    source: text('source', { enum: ATTENDANCE_SOURCES }).notNull(),
    by: text('marked_by', { length: 64 }).notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);
