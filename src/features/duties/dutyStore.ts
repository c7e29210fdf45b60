import { eq } from 'drizzle-orm';
import { defineChanges } from '../../store/changeAppliers.js';
import { storeFor } from '../../store/sqlHandle.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';
import type { Attendance, DutyChange, DutyStore } from './ports.js';
import { dutyAttendance as myAttendance } from './tables.mysql.js';
import { dutyAttendance as liteAttendance } from './tables.sqlite.js';
import type { AttendanceRow } from './tablesGuard.js';

declare module '../../core/ports.js' {
  interface FeatureChanges {
    duties: DutyChange;
  }
}

const toMap = (rows: AttendanceRow[]): Map<number, Attendance> =>
  new Map(rows.map((r) => [r.noticeId, { ...r }]));
const byUser = (rows: AttendanceRow[]): Map<string, Attendance> =>
  new Map(rows.map((r) => [r.userId, { ...r }]));

/** The duties store of a Database (the adapter of its dialect). */
export const dutyStore = storeFor<DutyStore>({
  sqlite: (db) => ({
    attendanceOf: (userId) =>
      guardSqlite(() =>
        toMap(db.select().from(liteAttendance).where(eq(liteAttendance.userId, userId)).all()),
      ),
    attendanceAt: (noticeId) =>
      guardSqlite(() =>
        byUser(db.select().from(liteAttendance).where(eq(liteAttendance.noticeId, noticeId)).all()),
      ),
  }),
  mysql: (db, guard) => ({
    attendanceOf: (userId) =>
      guard(async () => toMap(await db.select().from(myAttendance).where(eq(myAttendance.userId, userId)))),
    attendanceAt: (noticeId) =>
      guard(async () =>
        byUser(await db.select().from(myAttendance).where(eq(myAttendance.noticeId, noticeId))),
      ),
  }),
});

/** How the duties change is written, per dialect: an upsert on (notice, member). */
export const dutyChanges = defineChanges<DutyChange>({
  sqlite: {
    'duty.attendance': (tx, c) =>
      tx
        .insert(liteAttendance)
        .values(c.attendance)
        .onConflictDoUpdate({
          target: [liteAttendance.noticeId, liteAttendance.userId],
          set: {
            status: c.attendance.status,
            source: c.attendance.source,
            by: c.attendance.by,
            at: c.attendance.at,
          },
        })
        .run(),
  },
  mysql: {
    'duty.attendance': async (tx, c) => {
      await tx
        .insert(myAttendance)
        .values(c.attendance)
        .onDuplicateKeyUpdate({
          set: {
            status: c.attendance.status,
            source: c.attendance.source,
            by: c.attendance.by,
            at: c.attendance.at,
          },
        });
    },
  },
});
