import { WECOM_APP } from '../../core/actor.js';
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
