/** 提案统计: counts and rates of one year's proposals, computed from the stored rows (no I/O here). */
import { formatShanghaiDate as dayOf } from '../../../shared/chinaTime.js';
import { PROPOSAL_STATUSES, type ProposalStatus } from '../domain/status.js';
import type { Assignment, Proposal } from '../ports.js';
import type { EvaluationRecord, ProposalStatistics, ReplyRecord } from './types.js';

/** Registered, or any state after 立案. */
const REGISTERED_OR_LATER: readonly ProposalStatus[] = [
  'registered',
  'assigned',
  'return_requested',
  'in_progress',
  'reply_review',
  'replied',
  'rehandling',
  'closed',
];
/** Decided at 审查: 立案 (or later), 不予立案 (and 转), 并案. */
const DECIDED: readonly ProposalStatus[] = [...REGISTERED_OR_LATER, 'not_registered', 'converted', 'merged'];

function rate(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

export function computeStatistics(input: {
  year: number;
  today: string;
  proposals: readonly Proposal[];
  assignments: readonly Assignment[];
  replies: readonly (ReplyRecord & { proposalId: number; dueDate: string | null })[];
  evaluations: readonly (EvaluationRecord & { proposalId: number })[];
}): ProposalStatistics {
  const { proposals, assignments, replies, evaluations, today } = input;
  const byStatus = Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, 0])) as Record<ProposalStatus, number>;
  for (const p of proposals) byStatus[p.status]++;
  const registered = proposals.filter((p) => REGISTERED_OR_LATER.includes(p.status));
  const decided = proposals.filter((p) => DECIDED.includes(p.status));

  // 按期办复: the first approved reply of each proposal, submitted by its due date.
  const firstApproved = new Map<number, ReplyRecord & { dueDate: string | null }>();
  for (const r of replies)
    if (r.review === 'approved' && !firstApproved.has(r.proposalId)) firstApproved.set(r.proposalId, r);
  const onTime = (r: { at: Date; dueDate: string | null }) => r.dueDate === null || dayOf(r.at) <= r.dueDate;
  const onTimeCount = [...firstApproved.values()].filter(onTime).length;

  // 满意率: the last evaluation of each proposal; 视为满意 counts as satisfied.
  const lastEval = new Map<number, EvaluationRecord>();
  for (const e of evaluations) lastEval.set(e.proposalId, e);
  const satisfied = (e: EvaluationRecord | undefined) => e !== undefined && e.rating !== '不满意';
  const satisfiedCount = [...lastEval.values()].filter((e) => satisfied(e)).length;

  const categories = new Map<
    string,
    { category: string; total: number; registered: number; closed: number }
  >();
  for (const p of proposals) {
    const key = p.category ?? '未分类';
    const c = categories.get(key) ?? { category: key, total: 0, registered: 0, closed: 0 };
    c.total++;
    if (REGISTERED_OR_LATER.includes(p.status)) c.registered++;
    if (p.status === 'closed') c.closed++;
    categories.set(key, c);
  }

  const byUnit = new Map<string, ProposalStatistics['byUnit'][number]>();
  const statusOf = new Map(proposals.map((p) => [p.id, p]));
  for (const a of assignments) {
    if (a.state === 'reassigned') continue;
    const u = byUnit.get(a.unit) ?? {
      unit: a.unit,
      host: 0,
      co: 0,
      replied: 0,
      onTime: 0,
      overdue: 0,
      satisfied: 0,
    };
    if (a.role === 'co') u.co++;
    else {
      u.host++;
      const reply = firstApproved.get(a.proposalId);
      if (reply) {
        u.replied++;
        if (onTime(reply)) u.onTime++;
      }
      const p = statusOf.get(a.proposalId);
      if (p && !reply && a.replyDue !== null && a.replyDue < today && p.status !== 'closed') u.overdue++;
      if (satisfied(lastEval.get(a.proposalId))) u.satisfied++;
    }
    byUnit.set(a.unit, u);
  }

  return {
    year: input.year,
    total: proposals.length,
    byStatus,
    registrationRate: rate(registered.length, decided.length),
    onTimeReplyRate: rate(onTimeCount, firstApproved.size),
    satisfactionRate: rate(satisfiedCount, lastEval.size),
    byCategory: [...categories.values()].sort(
      (a, b) => b.total - a.total || a.category.localeCompare(b.category),
    ),
    byUnit: [...byUnit.values()].sort(
      (a, b) => b.host + b.co - (a.host + a.co) || a.unit.localeCompare(b.unit),
    ),
  };
}
