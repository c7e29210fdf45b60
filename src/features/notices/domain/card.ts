import { formatShanghai, formatShanghaiShort } from '../../../shared/chinaTime.js';
import { ANSWER_LABELS, type NoticeAnswer } from './types.js';

export interface CardNotice {
  id: number;
  title: string;
  kind: string;
  startsAt: Date;
  place: string;
  content: string;
  replyBy: Date;
}

const KEY = /^notice:(\d{1,9}):(attend|leave)$/;

/** Button key of an answer; comes back as the tap's EventKey. */
export function noticeButtonKey(noticeId: number, answer: NoticeAnswer): string {
  return `notice:${noticeId}:${answer}`;
}

export function parseNoticeButtonKey(key: string): { noticeId: number; answer: NoticeAnswer } | null {
  const m = KEY.exec(key.trim());
  if (!m) return null;
  return { noticeId: Number(m[1]), answer: m[2] === 'attend' ? 'attend' : 'leave' };
}

const CHECKIN_KEY = /^notice:(\d{1,9}):checkin$/;

/** Button key of the 签到 button on the meeting-day card. */
export function noticeCheckinKey(noticeId: number): string {
  return `notice:${noticeId}:checkin`;
}

/** The notice a 签到 tap is for; null when the key is not a 签到 button. */
export function parseNoticeCheckinKey(key: string): number | null {
  const m = CHECKIN_KEY.exec(key.trim());
  return m ? Number(m[1]) : null;
}

/**
 * task_id of one batch's card. WeCom wants it unique per app (`[0-9a-zA-Z_-@]`, ≤128 bytes, doc 90236), so each
 * message/send of a notice gets its own.
 */
export function noticeTaskId(noticeId: number, batch: number): string {
  return `notice_${noticeId}_${batch}`;
}

/** The button_interaction card with 参加 / 请假 buttons. */
export function buildNoticeCard(
  notice: CardNotice,
  opts: { taskId: string; source: string },
): { card_type: string; task_id: string } & Record<string, unknown> {
  return {
    card_type: 'button_interaction',
    source: { desc: opts.source, desc_color: 1 },
    main_title: { title: notice.title, desc: `${notice.kind}通知` },
    sub_title_text: notice.content,
    horizontal_content_list: [
      { keyname: '时间', value: formatShanghai(notice.startsAt) },
      { keyname: '地点', value: notice.place },
      { keyname: '回执截止', value: formatShanghaiShort(notice.replyBy) },
    ],
    task_id: opts.taskId,
    button_list: [
      { text: ANSWER_LABELS.attend, style: 1, key: noticeButtonKey(notice.id, 'attend') },
      { text: ANSWER_LABELS.leave, style: 2, key: noticeButtonKey(notice.id, 'leave') },
    ],
  };
}

/**
 * When reminders fall due: non-responders `remindBeforeMs` before the reply deadline, attendees at `morningHour`
 * (Shanghai) on the meeting day. A reminder already past at send time, or the morning one when the meeting starts
 * before that hour, is left out.
 */
export function reminderSchedule(
  notice: { startsAt: Date; replyBy: Date },
  opts: { now: Date; remindBeforeMs: number; morningAt: Date },
): { kind: 'nonResponders' | 'morning'; dueAt: Date }[] {
  const out: { kind: 'nonResponders' | 'morning'; dueAt: Date }[] = [];
  const before = new Date(notice.replyBy.getTime() - opts.remindBeforeMs);
  if (before.getTime() > opts.now.getTime()) out.push({ kind: 'nonResponders', dueAt: before });
  if (opts.morningAt.getTime() > opts.now.getTime() && opts.morningAt.getTime() < notice.startsAt.getTime())
    out.push({ kind: 'morning', dueAt: opts.morningAt });
  return out;
}

/**
 * The meeting-day card to those who answered 参加: the reminder, and a 签到 button to tap on arrival (the duties
 * feature records the 出席). `text` is the reminder itself.
 */
export function buildCheckinCard(
  notice: CardNotice,
  opts: { taskId: string; source: string; text: string },
): { card_type: string; task_id: string } & Record<string, unknown> {
  return {
    card_type: 'button_interaction',
    source: { desc: opts.source, desc_color: 1 },
    main_title: { title: notice.title, desc: '会议签到' },
    sub_title_text: `${opts.text}到达会场后请点「签到」。`,
    horizontal_content_list: [
      { keyname: '时间', value: formatShanghai(notice.startsAt) },
      { keyname: '地点', value: notice.place },
    ],
    task_id: opts.taskId,
    button_list: [{ text: '签到', style: 1, key: noticeCheckinKey(notice.id) }],
  };
}
