import { actorKey } from '../../core/actor.js';
import type { InboundRoute } from '../../core/feature.js';
import { respondCosign } from './respondCosign.js';

/**
 * 联名确认: an invited co-signer answers 「同意联名 12」 / 「不同意联名 12」 / 「同意联名」, also in the middle of a flow;
 * a bare 「同意」 answers the one pending invitation only when no conversation is going on (inside a flow it is the
 * flow's yes).
 */
export const cosignRoute: InboundRoute = {
  name: 'proposal.cosign',
  phrases: ['同意联名', '不同意联名'],
  examples: {
    同意联名: ['我同意联名', '愿意联名', '同意一起联名', '可以，同意联名', '同意联署', '我愿意附议'],
    不同意联名: [
      '我不同意联名',
      '不愿意联名',
      '不参加联名',
      '拒绝联名',
      '我不联名',
      '不附议',
      '不想参与联名',
      '联名算了',
      '不跟他联名',
    ],
  },
  // The phrase carries 联名 (or the bare form is refused while a conversation is open), so it matches no flow answer.
  interruptsFlow: true,
  async handle(input, ctx) {
    if (input.type !== 'text' || !ctx.actor.member) return null;
    const busy = (await ctx.db.conversations.get(actorKey(ctx.actor))) !== null;
    const r = await respondCosign(ctx.db, ctx.actor.member, input.text, ctx.now, { bare: !busy });
    return r ? { changes: r.changes, replies: [r.reply] } : null;
  },
};
