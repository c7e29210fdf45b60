/**
 * 退回修改 → the proposer revises in the drafting flow: 写提案 offers each returned proposal as a draft (「继续」 opens
 * its summary with the proposal's content, where any item can be changed), and 提交 resubmits that proposal — same
 * number, back to 待审查 — instead of creating a new one.
 */
import type { Actor } from '../../../core/actor.js';
import type { DraftSeed, EffectDef } from '../../../core/feature.js';
import type { Database } from '../../../core/ports.js';
import { defineEffect } from '../../../core/defineEffect.js';
import type { AnswerValue } from '../../../flows/index.js';
import { z } from 'zod';
import type { LifecycleService } from '../lifecycle/types.js';
import { proposalStore } from '../proposalStore.js';
import { planChanges } from './planChanges.js';

/** The drafting flow (flows/proposal.yaml). */
const PROPOSAL_FLOW_ID = 'proposal';

/** The answer naming the proposal a draft revises (not a question of the flow; the summary does not list it). */
export const REVISES_FIELD = 'revisesId';

/** The member's proposals returned for revision, as drafts of the drafting flow. */
export function revisionSeeds(service: LifecycleService) {
  return async (actor: Actor, db: Database, now: Date): Promise<DraftSeed[]> => {
    const member = actor.member;
    if (!member) return [];
    const returned = (await proposalStore(db).listForMember(member.userId)).filter(
      (p) => p.ownerId === member.userId && p.status === 'returned',
    );
    const seeds: DraftSeed[] = [];
    for (const p of returned) {
      const v = await service.view(db, now, p.id);
      const back = v?.timeline.filter((e) => e.kind === 'return').at(-1);
      const answers: Record<string, AnswerValue> = {
        [REVISES_FIELD]: String(p.id),
        title: p.title,
        reason: p.reason,
        suggestions: p.suggestions,
        wantUnits: p.handlingUnits.length > 0,
        isPublic: p.isPublic,
      };
      if (p.category) answers.category = p.category;
      if (p.subcategory) answers.subcategory = p.subcategory;
      if (p.handlingUnits.length > 0) answers.units = p.handlingUnits;
      if (!p.isPublic && p.privateReason) answers.privateReason = p.privateReason;
      // Co-signers stay on the proposal: shown as they are, not invited again.
      const cosigners = (await proposalStore(db).cosigners(p.id)).filter((c) => c.status !== 'declined');
      answers.wantCosign = cosigners.length > 0;
      for (const [i, c] of cosigners.slice(0, 5).entries()) {
        answers[`cosigner${i + 1}`] = {
          userId: c.userId,
          name: (await db.members.get(c.userId))?.name ?? c.userId,
        };
        if (i > 0) answers[`moreCosign${i}`] = true;
      }
      if (cosigners.length > 0 && cosigners.length < 5) answers[`moreCosign${cosigners.length}`] = false;
      seeds.push({
        // One seed per return: a draft saved from it keeps this id; a later return offers a fresh one.
        id: `revise-${p.id}-${(back?.at ?? p.updatedAt).getTime()}`,
        flowId: PROPOSAL_FLOW_ID,
        title: p.title,
        note: `${p.number} 退回修改${back?.note ? `：${back.note}` : ''}`,
        answers,
        updatedAt: back?.at ?? p.updatedAt,
      });
    }
    return seeds;
  };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * proposal.submit for a revision (answers name the proposal it revises): the service's `resubmit`, refused unless
 * the member is its proposer and it is still 退回修改; a repeated 提交 finds it already resubmitted. Any other
 * submission goes to the drafting effect unchanged.
 */
export function submitWithRevision(service: LifecycleService, submit: EffectDef): EffectDef {
  const Result = z.object({ number: z.string(), duplicate: z.boolean() });
  return defineEffect({
    type: submit.type,
    payload: z.strictObject({ answers: z.record(z.string(), z.unknown()) }),
    result: Result,
    async run(payload, ctx) {
      const revises = Number(text(ctx.state.answers[REVISES_FIELD]));
      if (!revises) {
        const out = await submit.run(payload, ctx);
        return { data: Result.parse(out.data), changes: out.changes };
      }
      const member = ctx.actor.member;
      const before = await service.view(ctx.db, ctx.now, revises);
      if (!member || !before) throw new Error(`revised proposal ${revises} not found`);
      if (before.status !== 'returned') return { data: { number: before.number, duplicate: true } };
      const a = ctx.state.answers;
      const plan = await service.plan(ctx.db, ctx.now, {
        proposalId: revises,
        actorId: member.userId,
        command: {
          action: 'resubmit',
          title: text(a.title),
          reason: text(a.reason),
          suggestions: text(a.suggestions),
        },
      });
      if (!plan.ok) throw new Error(plan.reason);
      return { data: { number: before.number, duplicate: false }, changes: planChanges(plan, ctx.now) };
    },
  });
}
