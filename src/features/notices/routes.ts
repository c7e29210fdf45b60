import type { InboundRoute, RouteContext, RouteResult } from '../../core/feature.js';
import { parseTextAnswer, respondToNotice, type NoticeReply } from './respondToNotice.js';

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

/**
 * 参加 / 请假 typed (what the card and the reminders tell members to send). Not while a flow question is open: a
 * flow whose option is 参加 gets its answer.
 */
export const noticeTextAnswerRoute: InboundRoute = {
  name: 'notice.textAnswer',
  phrases: ['参加', '请假', '回复参加', '回复请假'],
  examples: {
    参加: [
      '收到，准时参加',
      '准时参加',
      '我参加',
      '收到',
      '收到，会参加',
      '好的，按时参会',
      '我会准时到会',
      '届时出席',
      '一定到',
      '确认参加',
      '能参加',
      '我去参加',
      '参会',
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
    ],
  },
  async handle(input, ctx) {
    if (input.type !== 'text') return null;
    const answer = parseTextAnswer(input.text);
    return answer ? answerNotice({ kind: 'text', answer }, ctx) : null;
  },
};
