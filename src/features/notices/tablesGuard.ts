/**
 * Row types of the notice tables, inferred from drizzle, and the drift guard that fails `tsc` when tables.sqlite.ts
 * and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { NoticeAnswer, NoticeDelivery, NoticeReminderKind, NoticeStatus } from './ports.js';
import type { Assert, Eq } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type NoticeRow = typeof lite.notices.$inferSelect;
export type NoticeRecipientRow = typeof lite.noticeRecipients.$inferSelect;
export type NoticeReminderRow = typeof lite.noticeReminders.$inferSelect;

export type NoticeTablesGuard = [
  Assert<Eq<typeof my.notices.$inferSelect, typeof lite.notices.$inferSelect>>,
  Assert<Eq<typeof my.notices.$inferInsert, typeof lite.notices.$inferInsert>>,
  Assert<Eq<typeof my.noticeRecipients.$inferSelect, typeof lite.noticeRecipients.$inferSelect>>,
  Assert<Eq<typeof my.noticeRecipients.$inferInsert, typeof lite.noticeRecipients.$inferInsert>>,
  Assert<Eq<typeof my.noticeReminders.$inferSelect, typeof lite.noticeReminders.$inferSelect>>,
  Assert<Eq<typeof my.noticeReminders.$inferInsert, typeof lite.noticeReminders.$inferInsert>>,
  Assert<Eq<NoticeRow['status'], NoticeStatus>>,
  Assert<Eq<NonNullable<NoticeRecipientRow['answer']>, NoticeAnswer>>,
  Assert<Eq<NoticeRecipientRow['delivery'], NoticeDelivery>>,
  Assert<Eq<NoticeReminderRow['kind'], NoticeReminderKind>>,
];
