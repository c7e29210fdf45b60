/**
 * 我的提案 / 查提案 N (flows/status.yaml) with the real state: each proposal's state, 承办单位 and contact, due date and
 * what happens next; one proposal in full with its timeline.
 */
import { z } from 'zod';
import { actorKey } from '../../../core/actor.js';
import { defineEffect } from '../../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../../core/feature.js';
import type { Member } from '../../../core/ports.js';
import { PROPOSAL_STATUS_LABELS, TERMINAL_STATUSES } from '../domain/index.js';
import { findProposal } from '../findProposal.js';
import type { LifecycleService } from '../lifecycle/types.js';
import { proposalStore } from '../proposalStore.js';
import { namesFrom, proposalDetailText, statusSummary } from './describe.js';

/** The drafting flow (flows/proposal.yaml) whose unfinished conversations are kept as drafts. */
const PROPOSAL_FLOW_ID = 'proposal';

function memberOf(ctx: EffectContext): Member {
  if (!ctx.actor.member) throw new Error('proposal effects need a registered member');
  return ctx.actor.member;
}

export function statusEffects(service: LifecycleService): EffectDef[] {
  const list = defineEffect({
    type: 'proposal.list',
    payload: z.strictObject({}),
    result: z.object({ count: z.number(), text: z.string() }),
    async run(_payload, ctx) {
      const mine = await proposalStore(ctx.db).listForMember(memberOf(ctx).userId);
      // A draft is not a proposal yet, but a member who wrote one must not be told there is nothing.
      const drafts = (await ctx.db.drafts.listForUser(actorKey(ctx.actor))).filter(
        (d) => d.flowId === PROPOSAL_FLOW_ID,
      );
      const titles = drafts.map((d) => `《${d.title ?? '（未填标题）'}》`).join('、');
      const draftLine =
        drafts.length === 0
          ? []
          : [`另有 ${drafts.length} 份未提交的草稿${titles}，发送「写提案」可以继续填写。`];
      if (mine.length === 0) {
        const text =
          drafts.length > 0
            ? `您还没有提交过提案，但有 ${drafts.length} 份未完成的草稿${titles}，发送「写提案」可以继续填写。`
            : '您还没有提交过提案。发送「写提案」可以起草新的提案。';
        return { data: { count: 0, text } };
      }
      const nameOf = namesFrom(ctx.db);
      const lines: string[] = [];
      for (const [i, p] of mine.entries()) {
        const v = await service.view(ctx.db, ctx.now, p.id);
        const status = v?.status ?? p.status;
        lines.push(`${i + 1}. ${p.number}《${p.title}》— ${PROPOSAL_STATUS_LABELS[status]}`);
        if (v && !TERMINAL_STATUSES.includes(status)) lines.push(`   ${await statusSummary(v, nameOf)}`);
      }
      return { data: { count: mine.length, text: [...lines, ...draftLine].join('\n') } };
    },
  });

  const find = defineEffect({
    type: 'proposal.find',
    payload: z.strictObject({ query: z.string() }),
    result: z.object({ found: z.boolean(), text: z.string() }),
    async run(payload, ctx) {
      const found = findProposal(
        await proposalStore(ctx.db).listForMember(memberOf(ctx).userId),
        payload.query,
      );
      const v = found ? await service.view(ctx.db, ctx.now, found.id) : null;
      if (!found || !v)
        return {
          data: {
            found: false,
            text: '没有找到这件提案。请回复列表中的序号（如「1」）、提案编号（如「第3号」）或标题中的词语。',
          },
        };
      return { data: { found: true, text: await proposalDetailText(v, found, namesFrom(ctx.db)) } };
    },
  });

  return [list, find];
}
