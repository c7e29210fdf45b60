import { ANSWER_LABELS, formatShanghai, formatShanghaiShort, type NoticeAnswer } from './domain/index.js';
import type { Notice } from './ports.js';

/** What members and staff read about notices (Chinese); one place, so wording stays consistent. */
export const noticeTexts = {
  cardButton: (answer: NoticeAnswer): string => (answer === 'attend' ? '已选择：参加' : '已选择：请假'),

  confirmed(notice: Notice, answer: NoticeAnswer, changed: boolean): string {
    const head = changed ? '已为您更改回执' : '已收到您的回执';
    if (answer === 'attend')
      return (
        `${head}：参加《${notice.title}》。\n时间：${formatShanghai(notice.startsAt)}\n地点：${notice.place}\n` +
        `如有变化，可在 ${formatShanghaiShort(notice.replyBy)} 前回复「请假」更改。`
      );
    return (
      `${head}：请假（《${notice.title}》）。\n` +
      `如有变化，可在 ${formatShanghaiShort(notice.replyBy)} 前回复「参加」更改。`
    );
  },
  leaveRecorded: (notice: Notice, reason: string): string =>
    `已记录您的请假：《${notice.title}》，事由：${reason}。`,
  alreadyAnswered: (notice: Notice, answer: NoticeAnswer): string =>
    `您已回复「${ANSWER_LABELS[answer]}」（《${notice.title}》），无需重复操作。`,
  deadlinePassed: (notice: Notice, officeContact: string): string =>
    `《${notice.title}》的回执已于 ${formatShanghaiShort(notice.replyBy)} 截止，无法再更改。如需调整，请联系${officeContact}。`,
  notRecipient: (officeContact: string): string =>
    `这份通知不是发给您的，无法回执。如有疑问，请联系${officeContact}。`,
  noticeGone: (officeContact: string): string => `没有找到这份通知。如有疑问，请联系${officeContact}。`,

  remindNonResponder: (notice: Notice): string =>
    `【参会回执提醒】您尚未回复《${notice.title}》（${formatShanghai(notice.startsAt)}，${notice.place}）的参会回执，` +
    `请于 ${formatShanghaiShort(notice.replyBy)} 前回复。点通知卡片上的按钮，或直接回复「参加」或「请假」。`,
  remindMorning: (notice: Notice): string =>
    `【会议提醒】今天 ${formatShanghai(notice.startsAt).slice(11)} 在 ${notice.place} 召开《${notice.title}》，请准时参加。`,
};
