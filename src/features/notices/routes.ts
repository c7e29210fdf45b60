import type { InboundRoute, RouteContext, RouteResult } from '../../core/feature.js';
import type { NoticeAnswer } from './domain/index.js';
import { formatIds, openNoticesFor } from './openNotices.js';
import { respondToNotice, type NoticeReply } from './respondToNotice.js';
import { noticesNamed, parseTextAnswer } from './textAnswer.js';
import { noticeTexts } from './texts.js';

async function answerNotice(reply: NoticeReply, ctx: RouteContext): Promise<RouteResult | null> {
  const member = ctx.actor.member;
  if (!member) return null;
  const r = await respondToNotice(ctx.db, {
    member,
    reply,
    now: ctx.now,
    inboxId: ctx.inboxId,
    officeContact: ctx.officeContact,
  });
  if (!r) return null;
  return r.startFlow ? { changes: r.changes, startFlow: r.startFlow } : { changes: r.changes };
}

/** A tap on 参加 / 请假 of a notice card. */
export const noticeCardTapRoute: InboundRoute = {
  name: 'notice.cardTap',
  phrases: [],
  handle: (input, ctx) =>
    input.type === 'cardTap'
      ? answerNotice({ kind: 'tap', eventKey: input.eventKey, responseCode: input.responseCode }, ctx)
      : Promise.resolve(null),
};

/** The flow that asks which notice a typed answer is for (flows/notice_pick.yaml). */
export const NOTICE_PICK_FLOW = 'notice_pick';

/**
 * 参加 / 请假 typed the way members write them (「收到，准时参加」「我参加」「请假，那天出差」「请假 15号的会」), and 收到
 * alone (acknowledged; the 回执 is still asked for). With several notices open, the text names one (its day or a
 * title word) or the member is asked which (the notice_pick flow holds the pending choice in its conversation,
 * so the next reply — 1, 2, a date — is the flow's). Not while a flow question is open: that answer is the flow's.
 */
export const noticeTextAnswerRoute: InboundRoute = {
  name: 'notice.textAnswer',
  phrases: [
    '参加',
    '请假',
    '回复参加',
    '回复请假',
    '我参加',
    '准时参加',
    '收到，准时参加',
    '参加的',
    '我请假',
    '不能参加',
    '收到',
  ],
  examples: {
    参加: [
      '收到，准时参加',
      '准时参加',
      '我参加',
      '收到，会参加',
      '好的，按时参会',
      '我会准时到会',
      '届时出席',
      '一定到',
      '确认参加',
      '能参加',
      '我去参加',
      '参会',
      '一定来',
      '会到的',
      '我准时去',
      '到时候去',
      '能到会',
      '好的，会参加',
      '去的',
      '我肯定到',
      '可以来',
      '参加的',
    ],
    请假: [
      '请假，那天出差',
      '我请假',
      '要请假',
      '那天有事来不了',
      '去不了了',
      '参加不了',
      '不能参加',
      '无法出席',
      '不参加了',
      '身体不适，请假',
      '那天外出，请个假',
      '来不成了',
      '不去了',
      '来不了了，抱歉',
      '那天没空',
      '有事不能来',
      '不能来了',
      '我缺席',
      '不能到会',
    ],
  },
  async handle(input, ctx) {
    if (input.type !== 'text') return null;
    const parsed = parseTextAnswer(input.text);
    const member = ctx.actor.member;
    if (!parsed || !member) return null;
    const open = await openNoticesFor(ctx.db, member.userId, ctx.now);
    if (parsed.kind === 'ack') {
      // 收到 with nothing to answer is an ordinary message (the flows say what they can do).
      return open.length === 0 ? null : { changes: [], replies: [noticeTexts.acknowledged(open)] };
    }
    // None open: the latest notice says its deadline has passed (or, with none at all, the flows answer).
    if (open.length === 0)
      return (
        (await answerNotice({ kind: 'text', answer: parsed.answer }, ctx)) ?? {
          // Never sent a notice: say so, rather than leave 「我参加」 not understood.
          changes: [],
          replies: [noticeTexts.noOpenNotice],
        }
      );
    const named =
      parsed.rest === ''
        ? []
        : noticesNamed(
            open.map((o) => o.notice),
            parsed.rest,
          );
    // After 请假, words that name no notice are the reason (「请假，那天出差」).
    const reason = parsed.answer === 'leave' && parsed.rest !== '' && named.length === 0 ? parsed.rest : '';
    const candidates = named.length > 0 ? open.filter((o) => named.includes(o.notice)) : open;
    const [only] = candidates;
    if (only && candidates.length === 1)
      return answerNotice(textReply(parsed.answer, only.notice.id, reason), ctx);
    return {
      changes: [],
      startFlow: {
        flowId: NOTICE_PICK_FLOW,
        context: { answer: parsed.answer, noticeIds: formatIds(candidates), reason },
      },
    };
  },
};

function textReply(answer: NoticeAnswer, noticeId: number, reason: string): NoticeReply {
  return reason === '' ? { kind: 'text', answer, noticeId } : { kind: 'text', answer, noticeId, reason };
}
