/** The duties feature's own record: attendance after a meeting (出席 / 缺席), marked by staff or by the member's 签到. */
export const ATTENDANCE_STATUSES = ['present', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_SOURCES = ['staff', 'checkin'] as const;
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];

export interface Attendance {
  noticeId: number;
  userId: string;
  status: AttendanceStatus;
  source: AttendanceSource;
  /** Who marked it (staff userid, or the member for a 签到). */
  by: string;
  at: Date;
}

export interface DutyStore {
  /** The member's attendance, by notice id. */
  attendanceOf(userId: string): Promise<Map<number, Attendance>>;
  /** Everyone's attendance at a notice's meeting, by userid. */
  attendanceAt(noticeId: number): Promise<Map<string, Attendance>>;
}

/** The duties feature's writes. */
export type DutyChange =
  /** Sets (or replaces) a member's attendance at a notice's meeting. */
  { type: 'duty.attendance'; attendance: Attendance };
