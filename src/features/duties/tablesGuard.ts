/** Row type of the duties table and the drift guard between its two dialects (see src/store/tablesGuard.ts). */
import type { Assert, Eq, SameTable } from '../../store/tablesGuard.js';
import type { AttendanceStatus } from './ports.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type AttendanceRow = typeof lite.dutyAttendance.$inferSelect;

export type DutyTablesGuard = [
  Assert<SameTable<typeof my.dutyAttendance, typeof lite.dutyAttendance>>,
  Assert<Eq<AttendanceRow['status'], AttendanceStatus>>,
];
