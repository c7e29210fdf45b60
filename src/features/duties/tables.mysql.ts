/** MySQL / MariaDB tables of the duties feature. Mirror tables.sqlite.ts; tablesGuard.ts fails to compile when they drift. */
import { datetime, int, mysqlEnum, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { ms } from '../../store/mysql/tables.js';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES } from './ports.js';

export const dutyAttendance = mysqlTable(
  'duty_attendance',
  {
    noticeId: int('notice_id').notNull(),
    userId: varchar('user_id', { length: 64 }).notNull(),
    status: mysqlEnum('status', ATTENDANCE_STATUSES).notNull(),
    source: mysqlEnum('source', ATTENDANCE_SOURCES).notNull(),
    by: varchar('marked_by', { length: 64 }).notNull(),
    at: datetime('at', ms).notNull(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);
