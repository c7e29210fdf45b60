import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext } from '../../core/feature.js';
import type { Change, Member } from '../../core/ports.js';
import type { AnswerValue, MemberRef } from '../../flows/index.js';
import { formatShanghaiDate } from '../../shared/chinaTime.js';
import { checkProposal, formatProposalNumber } from './domain/index.js';
import type { NewProposal } from './ports.js';
import { proposalStore } from './proposalStore.js';
import { REVISES_FIELD } from './chat/revision.js';

/** The proposal effects need a registered member; flows run for members only, so this is a wiring guard. */
function memberOf(ctx: EffectContext): Member {
  if (!ctx.actor.member) throw new Error('proposal effects need a registered member');
  return ctx.actor.member;
}

const problem = z.object({ field: z.string(), message: z.string() });

export const checkProposalEffect = defineEffect({
  type: 'proposal.check',
  payload: z.strictObject({ title: z.string(), reason: z.string(), suggestions: z.string() }),
  result: z.object({
    errors: z.array(problem),
    warnings: z.array(problem),
    text: z.string(),
    hasErrors: z.boolean(),
    errorField: z.string(),
    hasWarnings: z.boolean(),
  }),
  async run(payload, ctx) {
    const member = memberOf(ctx);
    // A proposal being revised (退回修改) is not a duplicate of itself.
    const revising = String(ctx.state.answers[REVISES_FIELD] ?? '');
    const earlier = (await proposalStore(ctx.db).listForMember(member.userId)).filter(
      (p) => p.ownerId === member.userId && String(p.id) !== revising,
    );
    const r = checkProposal(
      payload,
      earlier.map((p) => p.title),
    );
    return {
      data: {
        errors: r.errors,
        warnings: r.warnings,
        text: [...r.errors, ...r.warnings].map((m) => m.message).join('\n'),
        hasErrors: r.errors.length > 0,
        errorField: r.errors[0]?.field ?? '',
        hasWarnings: r.warnings.length > 0,
      },
    };
  },
});

export const submitProposalEffect = defineEffect({
  type: 'proposal.submit',
  // The flow sends its answers (includeAnswers); the proposal is built from the conversation's state, which is
  // what the member confirmed.
  payload: z.strictObject({ answers: z.record(z.string(), z.unknown()) }),
  result: z.object({ number: z.string(), duplicate: z.boolean() }),
  async run(_payload, ctx) {
    const member = memberOf(ctx);
    const store = proposalStore(ctx.db);
    // One conversation, one proposal: a repeated 提交 or a retried callback finds the first one.
    const submitKey = `${member.userId}:${ctx.state.flowId}:${ctx.state.startedAt}`;
    const existing = await store.getBySubmitKey(submitKey);
    if (existing) return { data: { number: existing.number, duplicate: true } };
    const answers = ctx.state.answers;
    const year = Number(formatShanghaiDate(ctx.now).slice(0, 4));
    const seq = (await store.maxSeq(year)) + 1;
    const proposal: NewProposal = {
      submitKey,
      year,
      seq,
      number: formatProposalNumber(year, seq),
      ownerId: member.userId,
      title: answerText(answers.title),
      category: answerText(answers.category) || null,
      subcategory: answerText(answers.subcategory) || null,
      reason: answerText(answers.reason),
      suggestions: answerText(answers.suggestions),
      handlingUnits: answerList(answers.units ?? answers.handlingUnits),
      isPublic: answers.isPublic === true,
      privateReason: answers.isPublic === true ? null : answerText(answers.privateReason) || null,
    };
    const cosigners = collectMembers(answers).filter((m) => m.userId !== member.userId);
    const staff = (await ctx.db.members.list()).filter((m) => m.role === 'staff' && m.active);
    const text = (content: string) => ({ msgtype: 'text' as const, text: { content } });
    const changes: Change[] = [
      { type: 'proposal.submit', proposal, cosignerIds: cosigners.map((c) => c.userId), at: ctx.now },
      ...staff.map((s): Change => ({
        type: 'outbox.add',
        at: ctx.now,
        message: {
          dedupKey: `proposal:${submitKey}:staff:${s.userId}`,
          toUser: s.userId,
          message: text(
            `【新提案】${member.name}委员提交了提案 ${proposal.number}《${proposal.title}》，请及时审查。`,
          ),
        },
      })),
      ...cosigners.map((c): Change => ({
        type: 'outbox.add',
        at: ctx.now,
        message: {
          dedupKey: `proposal:${submitKey}:cosign:${c.userId}`,
          toUser: c.userId,
          message: text(
            `【联名邀请】${member.name}委员邀请您作为联名提案人：${proposal.number}《${proposal.title}》。\n` +
              `同意请回复「同意联名 ${proposal.seq}」，不同意请回复「不同意联名 ${proposal.seq}」。发送「查提案 ${proposal.seq}号」可查看全文。`,
          ),
        },
      })),
    ];
    return { data: { number: proposal.number, duplicate: false }, changes };
  },
});

function answerText(v: AnswerValue | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'object') return v.name;
  return String(v);
}

function answerList(v: AnswerValue | undefined): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  const s = answerText(v);
  return s ? [s] : [];
}

/** Every member picked anywhere in the answers (co-signer steps). */
function collectMembers(answers: Record<string, AnswerValue>): MemberRef[] {
  const seen = new Map<string, MemberRef>();
  for (const v of Object.values(answers)) {
    if (typeof v === 'object' && !Array.isArray(v)) seen.set(v.userId, v);
  }
  return [...seen.values()];
}
