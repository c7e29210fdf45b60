/**
 * Row types of the notice tables, inferred from drizzle, and the drift guard that fails `tsc` when tables.sqlite.ts
 * and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { NoticeAnswer, NoticeDelivery, NoticeReminderKind, NoticeStatus } from './ports.js';
import type { Assert, Eq, SameTable } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type NoticeRow = typeof lite.notices.$inferSelect;
export type NoticeRecipientRow = typeof lite.noticeRecipients.$inferSelect;
export type NoticeReminderRow = typeof lite.noticeReminders.$inferSelect;

export type NoticeTablesGuard = [
  Assert<SameTable<typeof my.notices, typeof lite.notices>>,
  Assert<SameTable<typeof my.noticeRecipients, typeof lite.noticeRecipients>>,
  Assert<SameTable<typeof my.noticeReminders, typeof lite.noticeReminders>>,
  Assert<Eq<NoticeRow['status'], NoticeStatus>>,
  Assert<Eq<NonNullable<NoticeRecipientRow['answer']>, NoticeAnswer>>,
  Assert<Eq<NoticeRecipientRow['delivery'], NoticeDelivery>>,
  Assert<Eq<NoticeReminderRow['kind'], NoticeReminderKind>>,
];
