/**
 * The lists a chat action starts from: what waits on this person for that action (staff: 待审查 oldest first,
 * 待交办, 答复审核中, 申退中; members: their own proposals they may withdraw or evaluate; units: their unit's
 * assignments to sign, handle, give an opinion on or reply to). Read through the lifecycle service; the service
 * still checks role and state when the action is applied.
 */
import { z } from 'zod';
import type { Database, Member } from '../../../core/ports.js';
import { normalizeWidth } from '../../../flows/normalize.js';
import { formatShanghaiDate } from '../../../shared/chinaTime.js';
import { assertNever } from '../../../shared/errors.js';
import type { ProposalStatus } from '../domain/index.js';
import type { AssignmentView, LifecycleService, ProposalListItem, ProposalView } from '../lifecycle/types.js';
import { proposalStore } from '../proposalStore.js';

export const QUEUE_KINDS = [
  'review',
  'assign',
  'flag',
  'excellent',
  'replyReview',
  'returnRequests',
  'convert',
  'withdraw',
  'evaluate',
  'sign',
  'returnable',
  'handle',
  'coOpinion',
  'reply',
  'todo',
] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];
export const QueueKindSchema = z.enum(QUEUE_KINDS);

/** One proposal in a list: its id, how it is named (number, seq, title) and its line. */
export interface QueueItem {
  id: number;
  number: string;
  seq: number;
  title: string;
  line: string;
}

export interface QueueDeps {
  service: LifecycleService;
  db: Database;
  now: Date;
  member: Member;
}

/** What the list is called when it is empty. */
export const EMPTY_QUEUE: Readonly<Record<QueueKind, string>> = {
  review: '目前没有待审查的提案。',
  assign: '目前没有待交办的提案（已立案的提案都已交办）。',
  flag: '目前没有可以设为重点的提案（须已立案）。',
  excellent: '目前没有可以评为优秀提案的提案（须已答复或办结，且尚未评为优秀）。',
  replyReview: '目前没有待审核的答复。',
  returnRequests: '目前没有承办单位申请退回的提案。',
  convert: '目前没有不予立案、可以转社情民意的提案。',
  withdraw: '您目前没有可以撤回的提案（立案后不能撤回；已立案的提案如有变化，请联系提案委员会）。',
  evaluate: '您目前没有待评价的提案答复。',
  sign: '目前没有待本单位签收的提案。',
  returnable: '目前没有可以申请退回的提案（只能在交办后规定期限内申请）。',
  handle: '目前没有本单位正在办理的提案。',
  coOpinion: '目前没有需要本单位提交会办意见的提案。',
  reply: '目前没有需要本单位（主办）答复的提案。',
  todo: '本单位目前没有待办的提案。',
};

const BEFORE_REGISTRATION: readonly ProposalStatus[] = ['submitted', 'under_review'];
const HANDLING: readonly ProposalStatus[] = ['assigned', 'in_progress', 'return_requested', 'rehandling'];
const NOT_FLAGGABLE: readonly ProposalStatus[] = [
  'submitted',
  'under_review',
  'returned',
  'withdrawn',
  'merged',
  'not_registered',
  'converted',
];

export async function queueItems(kind: QueueKind, deps: QueueDeps): Promise<QueueItem[]> {
  switch (kind) {
    case 'review':
      return listed(
        deps,
        BEFORE_REGISTRATION,
        'oldest',
        (p) => `提交于 ${day(p.submittedAt)}，${p.statusLabel}`,
      );
    case 'assign':
      return listed(deps, ['registered'], 'oldest', (p) => `类别：${p.category ?? '未分类'}`);
    case 'replyReview':
      return listed(deps, ['reply_review'], 'oldest', (p) => `主办：${p.hostUnit ?? '—'}`);
    case 'returnRequests':
      return listed(deps, ['return_requested'], 'oldest', (p) => `主办：${p.hostUnit ?? '—'}`);
    case 'convert':
      return listed(deps, ['not_registered'], 'oldest', (p) => `类别：${p.category ?? '未分类'}`);
    case 'excellent': {
      // Answered or closed, not yet 优秀 (its timeline says).
      const candidates = await listed(deps, ['replied', 'closed'], 'oldest', (p) =>
        [p.statusLabel, ...(p.keyProposal ? ['重点提案'] : []), `主办：${p.hostUnit ?? '—'}`].join('，'),
      );
      const store = proposalStore(deps.db);
      const out: QueueItem[] = [];
      for (const q of candidates)
        if (!(await store.timeline(q.id)).some((e) => e.kind === 'award_excellent')) out.push(q);
      return out;
    }
    case 'flag': {
      const all = await listAll(deps);
      return all
        .filter((p) => !NOT_FLAGGABLE.includes(p.status))
        .map((p) => item(p, `${p.statusLabel}${p.keyProposal ? '，重点提案' : ''}`));
    }
    case 'withdraw':
    case 'evaluate': {
      const allowed: readonly ProposalStatus[] =
        kind === 'withdraw' ? [...BEFORE_REGISTRATION, 'returned'] : ['replied'];
      const own = (await proposalStore(deps.db).listForMember(deps.member.userId)).filter(
        (p) => p.ownerId === deps.member.userId && allowed.includes(p.status),
      );
      const out: QueueItem[] = [];
      for (const p of own) {
        const v = await deps.service.view(deps.db, deps.now, p.id);
        if (v && allowed.includes(v.status)) out.push(item(v, v.statusLabel));
      }
      return out;
    }
    case 'sign':
    case 'returnable':
    case 'handle':
    case 'coOpinion':
    case 'reply':
      return unitQueue(kind, deps);
    case 'todo': {
      const todo = await deps.service.todo(deps.db, deps.now, deps.member.userId);
      return todo.map((t) => ({
        id: t.proposalId,
        number: t.number,
        seq: seqOf(t.number),
        title: t.title,
        line: `${t.number}《${t.title}》— ${t.what}${t.dueDate ? `，期限 ${t.dueDate}${t.overdue ? '（已逾期）' : ''}` : ''}`,
      }));
    }
  }
}

/** The unit contact's own assignments in the states this action needs. */
async function unitQueue(kind: UnitQueueKind, deps: QueueDeps): Promise<QueueItem[]> {
  const today = day(deps.now);
  const out: QueueItem[] = [];
  for (const status of HANDLING) {
    const { items } = await deps.service.list(deps.db, deps.now, { status, pageSize: 500 });
    for (const p of items) {
      const v = await deps.service.view(deps.db, deps.now, p.id);
      if (!v) continue;
      const mine = v.assignments.filter(
        (a) => a.state !== 'reassigned' && a.contacts.includes(deps.member.userId),
      );
      const fit = mine.find((a) => fits(kind, v, a, today));
      if (fit) out.push(item(v, assignmentLine(v, fit)));
    }
  }
  return out.sort((a, b) => a.id - b.id);
}

type UnitQueueKind = Extract<QueueKind, 'sign' | 'returnable' | 'handle' | 'coOpinion' | 'reply'>;

function fits(kind: UnitQueueKind, v: ProposalView, a: AssignmentView, today: string): boolean {
  const handling = v.status === 'in_progress' || v.status === 'rehandling';
  switch (kind) {
    case 'sign':
      return a.state === 'pending';
    case 'returnable':
      return (
        (a.state === 'pending' || a.state === 'signed') &&
        (v.status === 'assigned' || v.status === 'in_progress') &&
        (a.returnBy === null || a.returnBy >= today)
      );
    case 'handle':
      return handling && a.state !== 'pending' && a.state !== 'return_requested';
    case 'coOpinion':
      return handling && a.role === 'co' && a.state === 'signed';
    case 'reply':
      return handling && a.role === 'host' && a.state !== 'pending' && a.state !== 'return_requested';
    default:
      return assertNever(kind, 'unit queue');
  }
}

function assignmentLine(v: ProposalView, a: AssignmentView): string {
  const due = a.replyDue ? `，答复期限 ${a.replyDue}` : '';
  return `${a.roleLabel}，${a.stateLabel}${due}`;
}

async function listed(
  deps: QueueDeps,
  statuses: readonly ProposalStatus[],
  order: 'oldest',
  describe: (p: ProposalListItem) => string,
): Promise<QueueItem[]> {
  const items: ProposalListItem[] = [];
  for (const status of statuses) {
    items.push(...(await deps.service.list(deps.db, deps.now, { status, pageSize: 500 })).items);
  }
  if (order === 'oldest')
    items.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id - b.id);
  return items.map((p) => item(p, describe(p)));
}

async function listAll(deps: QueueDeps): Promise<ProposalListItem[]> {
  return (await deps.service.list(deps.db, deps.now, { pageSize: 500 })).items;
}

function item(p: { id: number; number: string; title: string }, note: string): QueueItem {
  return {
    id: p.id,
    number: p.number,
    seq: seqOf(p.number),
    title: p.title,
    line: `${p.number}《${p.title}》— ${note}`,
  };
}

/** 〔2026〕第012号 → 12. */
function seqOf(number: string): number {
  const m = /第0*(\d+)号/.exec(number);
  return m ? Number(m[1]) : 0;
}

const day = formatShanghaiDate;

/** The numbered list, or the empty answer. */
export function queueText(kind: QueueKind, items: readonly QueueItem[]): string {
  if (items.length === 0) return EMPTY_QUEUE[kind];
  return items.map((q, i) => `${i + 1}. ${q.line}`).join('\n');
}

/**
 * Which item a reply names: a list position (「1」「第2个」), a proposal number (「第12号」「12号」「〔2026〕第012号」; a
 * bare number larger than the list is read as a proposal number too) or words of the title.
 */
export function pickItem(items: readonly QueueItem[], query: string): QueueItem | null {
  const q = normalizeWidth(query)
    .replace(/[\s「」“”"'《》]/g, '')
    .replace(/[。.!！?？~]+$/u, '');
  if (!q) return null;
  const position = /^(\d+)$/.exec(q) ?? /^第(\d+)[个件条项]$/.exec(q);
  if (position) {
    const n = Number(position[1]);
    if (n >= 1 && n <= items.length) return items[n - 1] ?? null;
    return items.find((i) => i.seq === n) ?? null;
  }
  const numbered = /(?:〔(\d{4})〕)?第?0*(\d+)号/.exec(q) ?? /^第0*(\d+)$/.exec(q);
  if (numbered) {
    const seq = Number(numbered[numbered.length - 1]);
    const year = numbered.length === 3 && numbered[1] ? numbered[1] : null;
    return items.find((i) => i.seq === seq && (year === null || i.number.includes(year))) ?? null;
  }
  const words = q.replace(/关于|的建议|建议|提案|这个|那个|这件|那件|的/g, ' ').trim();
  let best: QueueItem | null = null;
  let bestLen = 1;
  for (const i of items) {
    const len = longestCommonRun(words, i.title);
    if (len > bestLen) {
      best = i;
      bestLen = len;
    }
  }
  return best;
}

function longestCommonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k] && a[i + k] !== ' ') k++;
      if (k > best) best = k;
    }
  }
  return best;
}
