import { ANSWER_LABELS, formatShanghai, formatShanghaiShort, type NoticeAnswer } from './domain/index.js';
import type { Notice } from './ports.js';
import { meetingDay } from './textAnswer.js';

/** One notice in a list the member picks from: 11月5日 停车难专题协商会（已回复：参加）. */
function listLine(n: Notice, i: number, answer: NoticeAnswer | null): string {
  const state = answer === null ? '未回复' : `已回复：${ANSWER_LABELS[answer]}`;
  return `${i + 1}. ${meetingDay(n)} 《${n.title}》（${state}）`;
}

/** What members and staff read about notices (Chinese); one place, so wording stays consistent. */
/** What to send to change the answer of THIS notice (the bare word would go to whichever notice is asked). */
function changeHint(notice: Notice, answer: NoticeAnswer): string {
  return `${ANSWER_LABELS[answer]} ${meetingDay(notice)}`;
}

export const noticeTexts = {
  noOpenNotice: '目前没有需要您回复的会议通知。收到通知后，点击通知上的「参加」或「请假」即可回复。',
  cardButton: (answer: NoticeAnswer): string => (answer === 'attend' ? '已选择：参加' : '已选择：请假'),

  confirmed(notice: Notice, answer: NoticeAnswer, changed: boolean): string {
    const head = changed ? '已为您更改回执' : '已收到您的回执';
    if (answer === 'attend')
      return (
        `${head}：参加《${notice.title}》。\n时间：${formatShanghai(notice.startsAt)}\n地点：${notice.place}\n` +
        `如有变化，可在 ${formatShanghaiShort(notice.replyBy)} 前回复「${changeHint(notice, 'leave')}」更改。`
      );
    return (
      `${head}：请假（《${notice.title}》）。\n` +
      `如有变化，可在 ${formatShanghaiShort(notice.replyBy)} 前回复「${changeHint(notice, 'attend')}」更改。`
    );
  },
  /** Several notices open and the text named none of them (or several): which one? */
  whichNotice: (
    answer: NoticeAnswer,
    open: readonly { notice: Notice; answer: NoticeAnswer | null }[],
  ): string =>
    `您有 ${open.length} 份会议通知可以回复，请问要回复「${ANSWER_LABELS[answer]}」的是哪一份？\n` +
    open.map((o, i) => listLine(o.notice, i, o.answer)).join('\n') +
    `\n请回复序号，或会议日期、标题中的词；回复「取消」不回复。`,
  whichNotFound: (count: number): string =>
    `没有对应的通知。请回复序号 1-${count}，或会议日期、标题中的词；回复「取消」不回复。`,
  /** 收到 alone: acknowledged, but the 回执 is still 参加 or 请假. */
  acknowledged(open: readonly { notice: Notice; answer: NoticeAnswer | null }[]): string {
    const pending = open.filter((o) => o.answer === null);
    const answered = open.flatMap((o) =>
      o.answer === null ? [] : [`《${o.notice.title}》${ANSWER_LABELS[o.answer]}`],
    );
    if (pending.length === 0)
      return `好的。您已回复：${answered.join('，')}。如需更改，回复「参加」或「请假」加会议日期。`;
    const [only] = pending;
    if (!only) return '';
    if (pending.length === 1)
      return `好的。请告诉我们能否出席《${only.notice.title}》（${meetingDay(only.notice)}，回执截止 ${formatShanghaiShort(only.notice.replyBy)}）：回复「参加」或「请假」。`;
    return (
      `好的。以下通知还需要您回复「参加」或「请假」：\n` +
      pending.map((o, i) => listLine(o.notice, i, null)).join('\n') +
      `\n回复时请加上会议日期，例如「参加 ${meetingDay(only.notice)}」。`
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
