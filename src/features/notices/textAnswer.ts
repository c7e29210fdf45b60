import { normalizeWidth } from '../../flows/normalize.js';
import { parseChineseInt } from '../../flows/index.js';
import type { NoticeAnswer } from './domain/index.js';
import type { Notice } from './ports.js';

/**
 * A typed 回执 as members write it: 参加 / 请假 with the words around it (「收到，准时参加」「我参加」「请假，那天出差」
 * 「请假 15号的会」), or 收到 alone, which acknowledges the notice without answering it.
 */
export type TextAnswer =
  | {
      kind: 'answer';
      answer: NoticeAnswer;
      /** What follows the answer: a notice reference (15号的会, 停车难) or, for 请假, the reason; '' when none. */
      rest: string;
    }
  | { kind: 'ack' };

/** Acknowledgements said before the answer (「收到，准时参加」) or alone (「收到」). */
const ACK = /^(?:好的|好|收到了?|已收到|嗯|明白|知道了)(?:[，,。.!！、\s]+|$)/;
/** Who answers: 我参加, 我要请假, 本人请假. */
const SUBJECT = /^(?:我|本人)(?:会|要|想|就|得|需要)?/;
/** 请假 and the ways of saying "cannot come"; checked before ATTEND because 不能参加 contains 参加. */
const LEAVE =
  /^(?:回复\s*)?(?:请个?假|不能参加|无法参加|参加不了|不参加|没法参加|去不了|来不了|不能去|不能来)/;
const ATTEND =
  /^(?:回复\s*)?(?:准时|按时|一定|肯定|可以|能|会|要|报名)?(?:参加|出席|参会|到会|到场)(?:的|了)?/;
/** A question about 参加 / 请假 (「请假要什么手续」) is not an answer. */
const QUESTION = /[吗呢？?]$|什么|怎么|如何|怎样|哪里|可以吗|能不能|要不要/;
/** 参加 with a long tail is a sentence about something else, not an answer with a notice reference. */
const MAX_ATTEND_REST = 16;
const MAX_REASON = 200;

export function parseTextAnswer(text: string): TextAnswer | null {
  let t = normalizeWidth(text).replace(/[「」“”"']/g, '');
  if (t === '' || QUESTION.test(t)) return null;
  const ack = ACK.exec(t);
  if (ack) {
    t = t.slice(ack[0].length).trim();
    if (t === '') return /^(?:收到了?|已收到)/.test(ack[0]) ? { kind: 'ack' } : null;
  }
  t = t.replace(SUBJECT, '');
  const leave = LEAVE.exec(t);
  const attend = leave ? null : ATTEND.exec(t);
  const hit = leave ?? attend;
  if (!hit) return null;
  const rest = t
    .slice(hit[0].length)
    .replace(/^[，,。.!！、:：;；\s]+/, '')
    .replace(/[。.!！~]+$/, '')
    .trim();
  if (attend && [...rest].length > MAX_ATTEND_REST) return null;
  return {
    kind: 'answer',
    answer: leave ? 'leave' : 'attend',
    rest: [...rest].slice(0, MAX_REASON).join(''),
  };
}

const OFFSET_MS = 8 * 3600_000;

/** The Shanghai calendar day of the meeting, as members name it: 11月5日. */
export function meetingDay(notice: Pick<Notice, 'startsAt'>): string {
  const s = new Date(notice.startsAt.getTime() + OFFSET_MS);
  return `${s.getUTCMonth() + 1}月${s.getUTCDate()}日`;
}

function dayNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  return parseChineseInt(text);
}

/** 15号 / 11月15日 / 十五号 in a reference: { month?, day }. */
function dateIn(ref: string): { month: number | null; day: number } | null {
  const m = /(?:([0-9一二三四五六七八九十]{1,3})月)?([0-9一二三四五六七八九十]{1,3})[日号]/.exec(ref);
  if (!m?.[2]) return null;
  const day = dayNumber(m[2]);
  const month = m[1] ? dayNumber(m[1]) : null;
  return day ? { month, day } : null;
}

/** Words around a title word that name no notice: 「停车难的会」「那个通知」. */
const FILLER = /那个|这个|那次|这次|的|会议|通知|协商会|会|吧|呀|啊/g;

/**
 * The notices a reference names: by the meeting's day (15号, 11月15日) or by a word of the title (停车难). Empty
 * when the reference names none of them (then, after 请假, it is the reason).
 */
export function noticesNamed<N extends Pick<Notice, 'startsAt' | 'title'>>(
  notices: readonly N[],
  ref: string,
): N[] {
  const date = dateIn(ref);
  if (date) {
    return notices.filter((n) => {
      const s = new Date(n.startsAt.getTime() + OFFSET_MS);
      return s.getUTCDate() === date.day && (date.month === null || s.getUTCMonth() + 1 === date.month);
    });
  }
  const word = ref.replace(FILLER, '').trim();
  if ([...word].length < 2) return [];
  return notices.filter((n) => n.title.includes(word) || n.title.includes(ref));
}

export type LeaveKind = '出差' | '生病' | '公务' | '其他';

/** The 请假事由 category of a reason given in words (the categories of notice_leave.yaml). */
export function guessLeaveKind(reason: string): LeaveKind {
  if (/出差|外出|在外地|不在本地|外地|赴|去省|去市/.test(reason)) return '出差';
  if (/病|身体|不舒服|住院|发烧|感冒|手术|看医生|就医/.test(reason)) return '生病';
  if (/公务|工作|开会|会议冲突|单位|值班|加班|接待|调研/.test(reason)) return '公务';
  return '其他';
}

/** The reason as stored: 「出差：那天出差」 (the same shape the reason flow records). */
export function leaveReason(reason: string): string {
  const detail = reason.trim();
  return `${guessLeaveKind(detail)}：${detail}`.slice(0, 500);
}
