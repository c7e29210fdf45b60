/**
 * How a proposal reads in chat: its state in member words (state, 承办单位 and their contacts, due date, last event,
 * what happens next), and what the person about to act needs to see (the content for 审查, the reply for 审核答复,
 * the unit's reason for 申请退回).
 */
import type { Database } from '../../../core/ports.js';
import { formatShanghaiDate } from '../../../shared/chinaTime.js';
import { RESULT_CLASS_LABELS } from '../domain/index.js';
import type { AssignmentView, ProposalView, TimelineEvent } from '../lifecycle/types.js';
import type { Proposal } from '../ports.js';
import type { QueueKind } from './queues.js';

/** userid → name, for contacts and actors (unknown ids stay as they are). */
export type NameOf = (userId: string) => Promise<string>;

export function namesFrom(db: Database): NameOf {
  const cache = new Map<string, string>();
  return async (id) => {
    const known = cache.get(id);
    if (known !== undefined) return known;
    const name = id === 'system' ? '系统' : ((await db.members.get(id))?.name ?? id);
    cache.set(id, name);
    return name;
  };
}

const live = (a: AssignmentView): boolean => a.state !== 'reassigned';

const COSIGNER_LABELS: Readonly<Record<string, string>> = {
  invited: '待确认',
  accepted: '已同意',
  declined: '已谢绝',
};

/** 主办 县住房和城乡建设局（联系人：李四）；会办 县财政局（联系人：王五） */
export async function unitsLine(v: ProposalView, nameOf: NameOf): Promise<string | null> {
  const units = v.assignments.filter(live);
  if (units.length === 0) return null;
  const parts: string[] = [];
  for (const a of [...units].sort((x, y) => (x.role === y.role ? 0 : x.role === 'host' ? -1 : 1))) {
    const names = await Promise.all(a.contacts.map(nameOf));
    parts.push(
      `${a.roleLabel} ${a.unit}（${names.length > 0 ? `联系人：${names.join('、')}` : '由提案委代为联系'}，${a.stateLabel}）`,
    );
  }
  return parts.join('；');
}

function eventLine(e: TimelineEvent, actor: string): string {
  const who = e.unit ? `${e.unit}${e.onBehalf ? '（代录）' : ''}` : actor;
  return `${formatShanghaiDate(e.at)} ${e.label}${who ? `（${who}）` : ''}${e.note ? `：${e.note}` : ''}`;
}

/** The state block every status answer shows. */
export async function statusLines(v: ProposalView, nameOf: NameOf): Promise<string[]> {
  const units = await unitsLine(v, nameOf);
  const last = v.timeline[v.timeline.length - 1];
  return [
    `当前状态：${v.statusLabel}${v.keyProposal ? '（重点提案）' : ''}${v.excellent ? '（优秀提案）' : ''}`,
    ...(units ? [`承办单位：${units}`] : []),
    ...(v.dueDate ? [`办理期限：${v.dueDate}${v.overdue ? '（已逾期）' : ''}`] : []),
    ...(last ? [`最近进展：${eventLine(last, await nameOf(last.actorId))}`] : []),
    `下一步：${v.nextStep}`,
  ];
}

/** One line under each proposal of 我的提案: who handles it, until when, what comes next. */
export async function statusSummary(v: ProposalView, nameOf: NameOf): Promise<string> {
  const host = v.assignments.find((a) => live(a) && a.role === 'host');
  const contacts = host ? (await Promise.all(host.contacts.map(nameOf))).join('、') : '';
  return [
    ...(host ? [`承办：${host.unit}${contacts ? `（${contacts}）` : ''}`] : []),
    ...(v.dueDate ? [`期限 ${v.dueDate}${v.overdue ? '（已逾期）' : ''}`] : []),
    `下一步：${v.nextStep}`,
  ].join('｜');
}

/** The whole proposal for 查提案: the state block, the content, the replies, and the timeline. */
export async function proposalDetailText(
  v: ProposalView,
  p: Proposal | null,
  nameOf: NameOf,
): Promise<string> {
  const cosigners = v.cosigners;
  const approved = v.replies.filter((r) => r.review === 'approved');
  const reply = approved[approved.length - 1];
  const timeline = await Promise.all(
    v.timeline.map(async (e) => `· ${eventLine(e, await nameOf(e.actorId))}`),
  );
  return [
    `${v.number}《${v.title}》`,
    ...(await statusLines(v, nameOf)),
    ...(v.category ? [`类别：${v.category}`] : []),
    `联名：${cosigners.length === 0 ? '无' : cosigners.map((c) => `${c.name}（${COSIGNER_LABELS[c.status] ?? c.status}）`).join('、')}`,
    ...(v.assignments.length === 0
      ? [`建议承办单位：${v.suggestedUnits.length === 0 ? '由提案委员会确定' : v.suggestedUnits.join('、')}`]
      : []),
    ...(p ? [`案由：\n${p.reason}`, `具体建议：\n${p.suggestions}`] : []),
    ...(reply ? [`答复（${reply.unit}，${RESULT_CLASS_LABELS[reply.resultClass]}）：\n${reply.text}`] : []),
    '办理进程：',
    ...timeline,
  ].join('\n');
}

/** What the person about to act is shown after picking a proposal from the list. */
export async function decisionText(
  kind: QueueKind,
  v: ProposalView,
  p: Proposal | null,
  nameOf: NameOf,
): Promise<string> {
  const head = `${v.number}《${v.title}》`;
  const proposer = `提案人：${v.ownerName}`;
  const content = p ? [`案由：\n${clip(p.reason, 600)}`, `具体建议：\n${clip(p.suggestions, 600)}`] : [];
  switch (kind) {
    case 'review':
      return [
        head,
        proposer,
        `类别：${v.category ?? '未选'}`,
        `建议承办单位：${v.suggestedUnits.length === 0 ? '未提出' : v.suggestedUnits.join('、')}`,
        ...content,
      ].join('\n');
    case 'assign':
      return [
        head,
        proposer,
        `类别：${v.category ?? '未分类'}`,
        `建议承办单位：${v.suggestedUnits.length === 0 ? '未提出' : v.suggestedUnits.join('、')}`,
      ].join('\n');
    case 'replyReview': {
      const pending = v.replies.filter((r) => r.review === 'pending');
      const r = pending[pending.length - 1];
      const opinions = v.timeline.filter((e) => e.kind === 'co_opinion');
      return [
        head,
        proposer,
        ...(r
          ? [
              `答复单位：${r.unit}`,
              `办理结果：${RESULT_CLASS_LABELS[r.resultClass]}`,
              `答复内容：\n${r.text}`,
            ]
          : ['（没有待审核的答复）']),
        ...opinions.map((e) => `会办意见（${e.unit ?? ''}）：${e.note ?? ''}`),
      ].join('\n');
    }
    case 'returnRequests': {
      const asked = v.timeline.filter((e) => e.kind === 'request_return');
      const last = asked[asked.length - 1];
      return [
        head,
        ...(last ? [`申请单位：${last.unit ?? ''}`, `理由：${last.note ?? ''}`] : []),
        `类别：${v.category ?? '未分类'}`,
      ].join('\n');
    }
    case 'withdraw':
    case 'flag':
      return [head, ...(await statusLines(v, nameOf))].join('\n');
    case 'excellent': {
      const approved = v.replies.filter((r) => r.review === 'approved').at(-1);
      const rated = v.evaluations.at(-1);
      const cosigners = v.cosigners.filter((c) => c.status === 'accepted').map((c) => c.name);
      return [
        head,
        `第一提案人：${v.ownerName}${cosigners.length > 0 ? `；联名：${cosigners.join('、')}` : ''}`,
        ...(await statusLines(v, nameOf)),
        ...(approved ? [`答复（${approved.unit}，${RESULT_CLASS_LABELS[approved.resultClass]}）`] : []),
        ...(rated ? [`提案人评价：${rated.rating}`] : []),
      ].join('\n');
    }
    case 'convert': {
      const rejected = v.timeline.filter((e) => e.kind === 'reject').at(-1);
      return [head, proposer, ...(rejected ? [`不予立案：${rejected.note ?? ''}`] : []), ...content].join(
        '\n',
      );
    }
    case 'evaluate': {
      const approved = v.replies.filter((r) => r.review === 'approved');
      const r = approved[approved.length - 1];
      return [
        head,
        ...(r ? [`答复（${r.unit}，${RESULT_CLASS_LABELS[r.resultClass]}）：\n${clip(r.text, 800)}`] : []),
      ].join('\n');
    }
    case 'sign':
    case 'returnable':
    case 'handle':
    case 'coOpinion':
    case 'reply':
    case 'todo': {
      const units = await unitsLine(v, nameOf);
      return [
        head,
        proposer,
        ...(units ? [`承办单位：${units}`] : []),
        ...(v.dueDate ? [`办理期限：${v.dueDate}`] : []),
        ...content,
      ].join('\n');
    }
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
