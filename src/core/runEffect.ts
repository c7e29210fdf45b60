import type { Logger } from 'pino';
import type { AnswerValue, Effect, FlowInput, FlowState, JsonValue, MemberRef } from '../flows/index.js';
import {
  checkProposal,
  formatProposalNumber,
  PROPOSAL_STATUS_LABELS,
} from '../features/proposals/domain/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Change, Database, Member, NewProposal, Proposal } from './ports.js';
import { formatDate } from './texts.js';
import { runNoticeEffect } from '../features/notices/effects.js';
import type { BroadcastSettings } from '../features/notices/broadcastNotice.js';

export type EffectRunner = (
  effect: Effect,
  ctx: EffectContext,
) => Promise<{ result: FlowInput; changes: Change[] }>;

export interface EffectContext {
  member: Member;
  state: FlowState;
  now: Date;
  /** What the app started the flow with (ConversationData.context). */
  context: Record<string, string>;
}

/**
 * Performs the effects flows ask for. Reads happen here; writes are returned as changes and committed with the
 * inbox item, so a crash before the commit redoes the whole turn and nothing is done twice.
 */
export function createEffectRunner(deps: {
  db: Database;
  logger: Logger;
  /** Source line, reminder timing of notice cards (config NOTICE_*); defaults when absent. */
  noticeSettings?: BroadcastSettings;
}): EffectRunner {
  const { db } = deps;
  return async (effect, ctx) => {
    const ok = (data: unknown, changes: Change[] = []) => ({
      result: { type: 'effectResult' as const, effectId: effect.id, ok: true as const, data },
      changes,
    });
    const fail = (error: string) => ({
      result: { type: 'effectResult' as const, effectId: effect.id, ok: false as const, error },
      changes: [],
    });
    try {
      switch (effect.type) {
        case 'members.search':
          return ok({ members: await searchMembers(db, str(effect.payload.query), ctx.member.userId) });
        case 'proposal.check': {
          const earlier = (await db.proposals.listForMember(ctx.member.userId)).filter(
            (p) => p.ownerId === ctx.member.userId,
          );
          const r = checkProposal(
            {
              title: str(effect.payload.title),
              reason: str(effect.payload.reason),
              suggestions: str(effect.payload.suggestions),
            },
            earlier.map((p) => p.title),
          );
          const text = [...r.errors, ...r.warnings].map((m) => m.message).join('\n');
          return ok({
            errors: r.errors,
            warnings: r.warnings,
            text,
            hasErrors: r.errors.length > 0,
            errorField: r.errors[0]?.field ?? '',
            hasWarnings: r.warnings.length > 0,
          });
        }
        case 'proposal.submit':
          return await submitProposal(db, effect, ctx, ok);
        case 'proposal.list': {
          const list = await db.proposals.listForMember(ctx.member.userId);
          return ok({
            count: list.length,
            text:
              list.length === 0
                ? '您还没有提交过提案。'
                : list
                    .map((p, i) => `${i + 1}. ${p.number}《${p.title}》— ${PROPOSAL_STATUS_LABELS[p.status]}`)
                    .join('\n'),
          });
        }
        case 'proposal.find': {
          const found = findProposal(
            await db.proposals.listForMember(ctx.member.userId),
            str(effect.payload.query),
          );
          if (!found)
            return ok({
              found: false,
              text: '没有找到这件提案。请回复列表中的序号、提案编号或标题中的词语。',
            });
          return ok({ found: true, text: await timeline(db, found) });
        }
        default: {
          const notice = await runNoticeEffect(effect, ctx, db, deps.noticeSettings);
          if (notice) return notice;
          deps.logger.error({ effect: effect.type }, 'a flow asked for an effect the app does not know');
          return fail(`unknown effect ${effect.type}`);
        }
      }
    } catch (err) {
      // Store failures propagate: the inbox item is retried rather than answered with a wrong result.
      throw new Error(`effect ${effect.type} failed: ${errorMessage(err)}`, { cause: err });
    }
  };
}

async function searchMembers(db: Database, query: string, self: string): Promise<MemberRef[]> {
  const q = query.trim();
  if (!q) return [];
  const all = await db.members.list();
  return all
    .filter((m) => m.active && m.userId !== self && (m.name.includes(q) || m.userId === q))
    .slice(0, 9)
    .map((m) => ({ userId: m.userId, name: m.name, ...(m.sector ? { dept: m.sector } : {}) }));
}

async function submitProposal(
  db: Database,
  effect: Effect,
  ctx: EffectContext,
  ok: (data: unknown, changes?: Change[]) => { result: FlowInput; changes: Change[] },
): Promise<{ result: FlowInput; changes: Change[] }> {
  // One conversation, one proposal: a repeated 提交 or a retried callback finds the first one.
  const submitKey = `${ctx.member.userId}:${ctx.state.flowId}:${ctx.state.startedAt}`;
  const existing = await db.proposals.getBySubmitKey(submitKey);
  if (existing) return ok({ number: existing.number, duplicate: true });
  const answers = ctx.state.answers;
  const year = Number(formatDate(ctx.now).slice(0, 4));
  const seq = (await db.proposals.maxSeq(year)) + 1;
  const proposal: NewProposal = {
    submitKey,
    year,
    seq,
    number: formatProposalNumber(year, seq),
    ownerId: ctx.member.userId,
    title: answerText(answers.title),
    category: answerText(answers.category) || null,
    subcategory: answerText(answers.subcategory) || null,
    reason: answerText(answers.reason),
    suggestions: answerText(answers.suggestions),
    handlingUnits: answerList(answers.units ?? answers.handlingUnits),
    isPublic: answers.isPublic === true,
    privateReason: answers.isPublic === true ? null : answerText(answers.privateReason) || null,
  };
  const cosigners = collectMembers(answers).filter((m) => m.userId !== ctx.member.userId);
  const staff = (await db.members.list()).filter((m) => m.role === 'staff' && m.active);
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
          `【新提案】${ctx.member.name}委员提交了提案 ${proposal.number}《${proposal.title}》，请及时审查。`,
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
          `【联名邀请】${ctx.member.name}委员邀请您作为联名提案人：${proposal.number}《${proposal.title}》。\n` +
            `同意请回复「同意联名 ${proposal.seq}」，不同意请回复「不同意联名 ${proposal.seq}」。发送「我的提案」可查看全文。`,
        ),
      },
    })),
  ];
  return ok({ number: proposal.number }, changes);
}

/** By list position, by number (12, 第012号, 〔2026〕第012号) or by a word of the title. */
export function findProposal(list: readonly Proposal[], query: string): Proposal | null {
  const q = query.trim();
  if (!q) return null;
  const digits = /^(?:〔\d{4}〕)?第?0*(\d+)号?$/.exec(q);
  if (digits) {
    const n = Number(digits[1]);
    return list.find((p) => p.seq === n) ?? list[n - 1] ?? null;
  }
  return list.find((p) => p.number === q) ?? list.find((p) => p.title.includes(q)) ?? null;
}

async function timeline(db: Database, p: Proposal): Promise<string> {
  const events = await db.proposals.events(p.id);
  return [
    `${p.number}《${p.title}》`,
    `当前状态：${PROPOSAL_STATUS_LABELS[p.status]}`,
    '办理进程：',
    ...events.map(
      (e) => `· ${formatDate(e.at)} ${PROPOSAL_STATUS_LABELS[e.status]}${e.note ? `（${e.note}）` : ''}`,
    ),
  ].join('\n');
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

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
