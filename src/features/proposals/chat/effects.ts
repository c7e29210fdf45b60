/**
 * The effects the lifecycle flows ask for (flows/proposal_*.yaml, flows/unit_*.yaml): a list to pick from, the
 * proposal picked, an action applied through the lifecycle service (its writes and notifications committed with
 * the turn; a refusal changes nothing and its reason is the answer), the statistics.
 */
import { z } from 'zod';
import { defineEffect } from '../../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../../core/feature.js';
import type { Member } from '../../../core/ports.js';
import { parseDate } from '../../../flows/index.js';
import { formatShanghaiDate } from '../../../shared/chinaTime.js';
import {
  ACTION_LABELS,
  MEETING_WAYS,
  NOT_REGISTERED_GROUNDS,
  PROPOSAL_STATUS_LABELS,
  RATINGS,
  RESULT_CLASSES,
  type LifecycleCommand,
  type MeetingWay,
  type NotRegisteredGround,
  type Rating,
  type ResultClass,
} from '../domain/index.js';
import type { LifecycleService, ProposalView } from '../lifecycle/types.js';
import type { Proposal } from '../ports.js';
import { proposalStore } from '../proposalStore.js';
import { decisionText, namesFrom } from './describe.js';
import { planChanges } from './planChanges.js';
import { pickItem, queueItems, queueText, QueueKindSchema, type QueueDeps } from './queues.js';
import { statisticsText } from './statisticsText.js';

/** The service's actions a chat flow may ask for. */
export const CHAT_ACTIONS = [
  'register',
  'reject',
  'merge',
  'return',
  'withdraw',
  'flag_key',
  'award_excellent',
  'assign',
  'sign',
  'request_return',
  'decide_return',
  'record_meeting',
  'progress',
  'co_opinion',
  'reply',
  'approve_reply',
  'reject_reply',
  'evaluate',
  'confirm_meeting',
  'convert',
] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

function memberOf(ctx: EffectContext): Member {
  if (!ctx.actor.member) throw new Error('lifecycle effects need a registered member');
  return ctx.actor.member;
}

const deps = (service: LifecycleService, ctx: EffectContext): QueueDeps => ({
  service,
  db: ctx.db,
  now: ctx.now,
  member: memberOf(ctx),
});

/** The stored proposal (案由, 具体建议), found through its proposer's list. */
export async function proposalRow(ctx: Pick<EffectContext, 'db'>, v: ProposalView): Promise<Proposal | null> {
  return (await proposalStore(ctx.db).listForMember(v.ownerId)).find((p) => p.id === v.id) ?? null;
}

const str = z.string().optional();
const ActPayload = z.strictObject({
  id: z.string(),
  action: z.enum(CHAT_ACTIONS),
  category: str,
  units: str,
  ground: str,
  note: str,
  into: str,
  reason: str,
  key: str,
  host: str,
  co: str,
  dueDate: str,
  approve: str,
  date: str,
  way: str,
  participants: str,
  text: str,
  resultClass: str,
  rating: str,
  comment: str,
  held: str,
});
type ActPayload = z.infer<typeof ActPayload>;

/** A list typed by a person: 县财政局、县住建局 / 无. */
function splitList(text: string | undefined): string[] {
  const t = (text ?? '').trim();
  if (t === '' || /^(无|没有|不需要|不用)$/.test(t)) return [];
  return t
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const need = (v: string | undefined): string => (v ?? '').trim();

/**
 * The service's command for a chat action, or the Chinese reason the person's input cannot make one (the flow
 * shows it; nothing is changed).
 */
export async function toCommand(
  p: ActPayload,
  ctx: { service: LifecycleService; db: EffectContext['db']; now: Date; proposal: ProposalView },
): Promise<LifecycleCommand | string> {
  switch (p.action) {
    case 'register': {
      const units = p.units === undefined ? undefined : splitList(p.units);
      return {
        action: 'register',
        ...(need(p.category) ? { category: need(p.category) } : {}),
        ...(units !== undefined ? { units } : {}),
      };
    }
    case 'reject': {
      const ground = NOT_REGISTERED_GROUNDS.find((g) => g === need(p.ground));
      if (!ground) return '不予立案须选择一项规定的理由。';
      return { action: 'reject', ground: ground satisfies NotRegisteredGround, note: need(p.note) };
    }
    case 'merge': {
      const into = await resolveNumber(need(p.into), ctx);
      if (typeof into === 'string') return into;
      return { action: 'merge', into };
    }
    case 'return':
      return { action: 'return', reason: need(p.reason) };
    case 'withdraw':
      return { action: 'withdraw' };
    case 'flag_key':
      return { action: 'flag_key', key: p.key !== 'false' };
    case 'award_excellent':
      return {
        action: 'award_excellent',
        ...(need(p.note) && !/^(无|没有|不用|略)$/.test(need(p.note)) ? { note: need(p.note) } : {}),
      };
    case 'assign': {
      const due = need(p.dueDate);
      let dueDate: string | undefined;
      if (due !== '' && !/^(默认|按规定|按规定期限|规定期限)$/.test(due)) {
        const parsed = parseDate(due, ctx.now);
        if (parsed === null) return `办理期限「${due}」没有看懂，请回复日期（如「2027-03-31」）或「默认」。`;
        dueDate = parsed;
      }
      return {
        action: 'assign',
        host: need(p.host),
        co: splitList(p.co),
        ...(dueDate ? { dueDate } : {}),
      };
    }
    case 'sign':
      return { action: 'sign' };
    case 'request_return':
      return { action: 'request_return', reason: need(p.reason) };
    case 'decide_return':
      return p.approve === 'true'
        ? { action: 'decide_return', approve: true, host: need(p.host) }
        : { action: 'decide_return', approve: false };
    case 'record_meeting': {
      const way = MEETING_WAYS.find((w) => w === need(p.way));
      if (!way) return `面商方式须是${MEETING_WAYS.join('、')}之一。`;
      return {
        action: 'record_meeting',
        date: need(p.date),
        way: way satisfies MeetingWay,
        participants: need(p.participants),
      };
    }
    case 'progress':
      return { action: 'progress', note: need(p.note) };
    case 'co_opinion':
      return { action: 'co_opinion', text: need(p.text) };
    case 'reply': {
      const resultClass = RESULT_CLASSES.find((c) => c === need(p.resultClass));
      if (!resultClass) return '办理结果须是 A、B、C 类之一。';
      return { action: 'reply', resultClass: resultClass satisfies ResultClass, text: need(p.text) };
    }
    case 'approve_reply':
      return { action: 'approve_reply' };
    case 'reject_reply':
      return { action: 'reject_reply', reason: need(p.reason) };
    case 'evaluate': {
      const rating = RATINGS.find((r) => r === need(p.rating));
      if (!rating) return '评价须是满意、基本满意或不满意。';
      const comment = need(p.comment);
      const none = comment === '' || /^(无|没有|不用|没有了)$/.test(comment);
      return { action: 'evaluate', rating: rating satisfies Rating, ...(none ? {} : { comment }) };
    }
    case 'confirm_meeting':
      return { action: 'confirm_meeting', held: p.held === 'true' };
    case 'convert':
      return { action: 'convert', consent: true };
  }
}

/** 「第3号」「3」「〔2026〕第003号」 → the id of that proposal (this year's unless the year is given). */
async function resolveNumber(
  text: string,
  ctx: { service: LifecycleService; db: EffectContext['db']; now: Date; proposal: ProposalView },
): Promise<number | string> {
  const m = /(?:〔(\d{4})〕)?第?0*(\d+)号?/.exec(text.replace(/\s/g, ''));
  if (!m) return `没有看懂「${text}」，请回复主提案的编号，如「第3号」。`;
  const year = m[1] ? Number(m[1]) : ctx.proposal.year;
  const { items } = await ctx.service.list(ctx.db, ctx.now, { year, pageSize: 1000 });
  const seq = Number(m[2]);
  const found = items.find((i) => /第0*(\d+)号/.exec(i.number)?.[1] === String(seq));
  if (!found) return `没有找到${year}年第${seq}号提案，请核对编号。`;
  if (found.id === ctx.proposal.id) return '不能并入这件提案本身，请回复另一件提案的编号。';
  return found.id;
}

/** What the person is told after an action went through. */
function doneText(
  action: ChatAction,
  v: ProposalView | null,
  fallback: string,
  sentimentNumber?: string,
): string {
  if (!v) return fallback;
  const head = action === 'evaluate' ? '感谢您的评价！' : `已${ACTION_LABELS[action]}：`;
  const report =
    sentimentNumber === undefined
      ? ''
      : `社情民意编号 ${sentimentNumber}，已进入社情民意审核（发送「社情民意审核」处理），并已告知提案人。`;
  return `${head}${v.number}《${v.title}》，当前状态：${PROPOSAL_STATUS_LABELS[v.status]}。${report}`;
}

export function lifecycleChatEffects(service: LifecycleService): EffectDef[] {
  const queue = defineEffect({
    type: 'proposal.queue',
    payload: z.strictObject({ kind: QueueKindSchema }),
    result: z.object({ count: z.number(), text: z.string() }),
    async run(payload, ctx) {
      const items = await queueItems(payload.kind, deps(service, ctx));
      return { data: { count: items.length, text: queueText(payload.kind, items) } };
    },
  });

  const pick = defineEffect({
    type: 'proposal.pick',
    payload: z.strictObject({ kind: QueueKindSchema, query: z.string() }),
    result: z.object({
      found: z.boolean(),
      id: z.string(),
      text: z.string(),
      category: z.string(),
      units: z.string(),
    }),
    async run(payload, ctx) {
      const items = await queueItems(payload.kind, deps(service, ctx));
      const picked = pickItem(items, payload.query);
      const view = picked ? await service.view(ctx.db, ctx.now, picked.id) : null;
      if (!picked || !view)
        return {
          data: {
            found: false,
            id: '',
            text: `没有找到「${payload.query}」。请回复列表中的序号（如「1」）、提案编号（如「第3号」）或标题中的词语。`,
            category: '',
            units: '',
          },
        };
      const text = await decisionText(payload.kind, view, await proposalRow(ctx, view), namesFrom(ctx.db));
      return {
        data: {
          found: true,
          id: String(view.id),
          text,
          category: view.category ?? '未分类',
          units: view.suggestedUnits.length === 0 ? '未提出' : view.suggestedUnits.join('、'),
        },
      };
    },
  });

  const act = defineEffect({
    type: 'proposal.act',
    payload: ActPayload,
    result: z.object({ ok: z.boolean(), text: z.string() }),
    async run(payload, ctx) {
      const member = memberOf(ctx);
      const proposalId = Number(payload.id);
      const before = Number.isInteger(proposalId) ? await service.view(ctx.db, ctx.now, proposalId) : null;
      if (!before) return { data: { ok: false, text: '没有找到这件提案。' } };
      const command = await toCommand(payload, { service, db: ctx.db, now: ctx.now, proposal: before });
      if (typeof command === 'string') return { data: { ok: false, text: command } };
      const plan = await service.plan(ctx.db, ctx.now, { proposalId, actorId: member.userId, command });
      if (!plan.ok) return { data: { ok: false, text: plan.reason } };
      const changes = planChanges(plan, ctx.now);
      const after: ProposalView = {
        ...before,
        status: plan.to,
        statusLabel: PROPOSAL_STATUS_LABELS[plan.to],
      };
      return {
        data: { ok: true, text: doneText(payload.action, after, '已办理。', plan.sentimentNumber) },
        changes,
      };
    },
  });

  const stats = defineEffect({
    type: 'proposal.stats',
    payload: z.strictObject({}),
    result: z.object({ text: z.string() }),
    async run(_payload, ctx) {
      const year = Number(formatShanghaiDate(ctx.now).slice(0, 4));
      return { data: { text: statisticsText(await service.statistics(ctx.db, ctx.now, year)) } };
    },
  });

  const evaluationCard = defineEffect({
    type: 'proposal.evaluationCard',
    payload: z.strictObject({}),
    result: z.object({ fromCard: z.boolean(), id: z.string(), rating: z.string(), text: z.string() }),
    async run(_payload, ctx) {
      const id = ctx.context.proposalId;
      const rating = ctx.context.rating;
      if (!id || !rating) return { data: { fromCard: false, id: '', rating: '', text: '' } };
      const v = await service.view(ctx.db, ctx.now, Number(id));
      return {
        data: {
          fromCard: true,
          id,
          rating,
          text: `您对${v ? `${v.number}《${v.title}》` : '这件提案'}答复的评价：${rating}。`,
        },
      };
    },
  });

  return [queue, pick, act, stats, evaluationCard];
}
