/**
 * Row → port-type mapping of the notice tables, shared by sqliteNoticeStore.ts and mysqlNoticeStore.ts: both
 * dialects infer the same row types (tablesGuard.ts), so the adapters cannot disagree on it.
 */
import type { Notice, NoticeRecipient, NoticeReminder } from './ports.js';
import { isNoticeKind } from './domain/validateNotice.js';
import type { NoticeRecipientRow, NoticeReminderRow, NoticeRow } from './tablesGuard.js';

export function toNotice(row: NoticeRow): Notice {
  return {
    id: row.id,
    createKey: row.createKey,
    title: row.title,
    // The column is free text so that a kind added later needs no migration; unknown values read as 其他.
    kind: isNoticeKind(row.kind) ? row.kind : '其他',
    startsAt: row.startsAt,
    place: row.place,
    content: row.content,
    audience: row.audience,
    replyBy: row.replyBy,
    leaveNeedsReason: row.leaveNeedsReason,
    createdBy: row.createdBy,
    status: row.status,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

export function toNoticeRecipient(row: NoticeRecipientRow): NoticeRecipient {
  return {
    noticeId: row.noticeId,
    userId: row.userId,
    name: row.name,
    answer: row.answer,
    reason: row.reason,
    answeredAt: row.answeredAt,
    delivery: row.delivery,
    deliveryError: row.deliveryError,
    deliveredAt: row.deliveredAt,
  };
}

export function toNoticeReminder(row: NoticeReminderRow): NoticeReminder {
  return {
    id: row.id,
    noticeId: row.noticeId,
    kind: row.kind,
    dueAt: row.dueAt,
    leaseUntil: row.leaseUntil,
    doneAt: row.doneAt,
  };
}
