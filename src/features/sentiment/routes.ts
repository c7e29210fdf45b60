import { actorKey, WECOM_APP } from '../../core/actor.js';
import { readConversation } from '../../core/conversationData.js';
import type { Change } from '../../core/ports.js';
import type { InboundRoute } from '../../core/feature.js';
import { normalizeText } from '../../flows/index.js';
import { citizenPseudonym } from './reportDetail.js';
import { noticeText } from './review.js';
import { sentimentStore } from './sentimentStore.js';
import type { ReviewRequest } from './domain/index.js';

/** The citizen flow's keywords: a citizen who writes one of them still starts it after hearing the news. */
export const CLUE_KEYWORDS = ['留言反映问题', '我要留言'];

/**
 * A citizen writes again after their reply window closed while an outcome was waiting: they are told now (each
 * waiting outcome once, marked queued in the same commit). A clue keyword still starts the clue flow after it.
 * Members, and citizens with nothing waiting, pass through (null).
 */
export const citizenOutcomesRoute: InboundRoute = {
  name: 'sentiment.citizenOutcomes',
  audience: 'citizens',
  phrases: [],
  async handle(input, ctx) {
    if (ctx.actor.member || ctx.actor.channel === WECOM_APP || input.type !== 'text') return null;
    const pseudonym = citizenPseudonym(ctx.actor.channel, ctx.actor.id);
    const waiting = await sentimentStore(ctx.db).waitingFor(pseudonym);
    if (waiting.length === 0) return null;
    const changes: Change[] = [];
    const byReport = new Map<number, number[]>();
    for (const { report, event } of waiting) {
      byReport.set(report.id, [...(byReport.get(report.id) ?? []), event.seq]);
      changes.push({
        type: 'outbox.add',
        at: ctx.now,
        message: {
          dedupKey: `sentiment:${report.id}:${event.seq}`,
          toUser: ctx.actor.id,
          channel: ctx.actor.channel,
          message: {
            msgtype: 'text',
            text: { content: noticeText(report, { action: event.action, ...event.detail } as ReviewRequest) },
          },
        },
      });
    }
    for (const { report } of waiting) {
      const seqs = byReport.get(report.id);
      if (!seqs) continue;
      byReport.delete(report.id);
      changes.push({
        type: 'sentiment.told',
        reportId: report.id,
        seqs,
        clearReplyTo: report.state === 'kept' || report.state === 'handled',
        at: ctx.now,
      });
    }
    const keyword = CLUE_KEYWORDS.includes(normalizeText(input.text));
    return keyword ? { changes, startFlow: { flowId: 'sentiment_clue', context: {} } } : { changes };
  },
};

/** A citizen saying, in their own words, that they want to leave a message or raise a problem. */
const WANTS_TO_REPORT =
  /(?:留言|留个言|留个话|反映|反应一?下|投诉|提(?:个|点)?(?:意见|建议)|说个事|说件事|有个问题|有个事)/u;

/**
 * 「我想给政协留个言」「给你们反映个情况」: a citizen on 微信客服 who is not in a conversation starts 留言反映问题 without
 * knowing its keyword (the surveys' route came first and passed). Members and conversations in progress pass.
 */
export const citizenClueRoute: InboundRoute = {
  name: 'sentiment.citizenClue',
  audience: 'citizens',
  phrases: [],
  async handle(input, ctx) {
    if (ctx.actor.member || ctx.actor.channel === WECOM_APP || input.type !== 'text') return null;
    if (!WANTS_TO_REPORT.test(normalizeText(input.text))) return null;
    const data = readConversation((await ctx.db.conversations.get(actorKey(ctx.actor)))?.data ?? null);
    if (data?.mode === 'flow' && data.state.status === 'active') return null;
    return { changes: [], startFlow: { flowId: 'sentiment_clue', context: {} } };
  },
};
