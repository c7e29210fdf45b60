/**
 * The proposal lifecycle as a pure table: who may do what, from which state, and what follows. Every transition of a
 * proposal (admin API, chat, poller) goes through `decide`; the service (../lifecycle/actOnProposal.ts) only loads the
 * snapshot, writes what the decision says and queues the notices it names.
 */
import { PROPOSAL_STATUS_LABELS, type ProposalStatus } from './status.js';

// ---------------------------------------------------------------------------------------------------------------
// Roles

/**
 * The part a person plays for one proposal. `member` is a registered member with no link to it; `system` the
 * deadline poller. One person may hold several roles (a staff member who also proposed); see `decideFor`.
 */
export const LIFECYCLE_ROLES = [
  'proposer',
  'cosigner',
  'staff',
  'supervisor',
  'host_unit',
  'co_unit',
  'member',
  'system',
] as const;
export type LifecycleRole = (typeof LIFECYCLE_ROLES)[number];

export const ROLE_LABELS: Readonly<Record<LifecycleRole, string>> = {
  proposer: '提案人',
  cosigner: '联名人',
  staff: '提案委工作人员',
  supervisor: '督办领导',
  host_unit: '主办单位',
  co_unit: '会办单位',
  member: '委员',
  system: '系统',
};

// ---------------------------------------------------------------------------------------------------------------
// Assignment sub-state

export const ASSIGNMENT_STATES = [
  'pending',
  'signed',
  'return_requested',
  'opinion_sent',
  'replied',
  'reassigned',
] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const ASSIGNMENT_STATE_LABELS: Readonly<Record<AssignmentState, string>> = {
  pending: '待签收',
  signed: '已签收',
  return_requested: '申退中',
  opinion_sent: '已提交会办意见',
  replied: '已答复',
  reassigned: '已调整交办',
};

export type UnitRole = 'host' | 'co';
export const UNIT_ROLE_LABELS: Readonly<Record<UnitRole, string>> = { host: '主办', co: '会办' };

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary of the commands

/** 不予立案 grounds (the national list plus the frequent local additions). */
export const NOT_REGISTERED_GROUNDS = [
  '涉及党和国家秘密的',
  '国家明令禁止的',
  '中共党员对党内有关组织、人事安排等方面有意见的',
  '民主党派成员反映本组织内部问题的',
  '进入民事、刑事、行政诉讼以及仲裁程序的',
  '属于学术研讨的',
  '为本人或亲属解决个人问题的',
  '宣传、推介具体作品、产品的',
  '指明举报的',
  '内容空泛、没有具体建议的',
  '进入行政复议程序尚未结案的',
  '违反宪法和法律规定的',
  '超越本级事权范围的',
] as const;
export type NotRegisteredGround = (typeof NOT_REGISTERED_GROUNDS)[number];

/** 面商 ways. */
export const MEETING_WAYS = ['面谈', '座谈', '电话', '实地'] as const;
export type MeetingWay = (typeof MEETING_WAYS)[number];

/** 办理结果分类 (3-class version). */
export const RESULT_CLASSES = ['A', 'B', 'C'] as const;
export type ResultClass = (typeof RESULT_CLASSES)[number];
export const RESULT_CLASS_LABELS: Readonly<Record<ResultClass, string>> = {
  A: 'A 解决或基本解决',
  B: 'B 列入计划拟解决',
  C: 'C 因条件所限等原因暂不能解决，留作参考',
};

/** 总体评价. */
export const RATINGS = ['满意', '基本满意', '不满意'] as const;
export type Rating = (typeof RATINGS)[number];

// ---------------------------------------------------------------------------------------------------------------
// Actions

export const LIFECYCLE_ACTIONS = [
  'accept',
  'register',
  'reject',
  'convert',
  'merge',
  'return',
  'resubmit',
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
  'close',
  'confirm_meeting',
  'urge',
  'follow_up',
  'evaluation_timeout',
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** The words staff and members see for each action. */
export const ACTION_LABELS: Readonly<Record<LifecycleAction, string>> = {
  accept: '预审通过',
  register: '立案',
  reject: '不予立案',
  convert: '转社情民意',
  merge: '并案',
  return: '退回修改',
  resubmit: '修改后重新提交',
  withdraw: '撤回',
  flag_key: '设为重点提案',
  award_excellent: '评为优秀提案',
  assign: '交办',
  sign: '签收',
  request_return: '申请退回',
  decide_return: '审批退回申请',
  record_meeting: '记录面商',
  progress: '记录办理进展',
  co_opinion: '提交会办意见',
  reply: '提交答复',
  approve_reply: '审核通过答复',
  reject_reply: '驳回答复',
  evaluate: '评价',
  close: '办结',
  confirm_meeting: '确认面商情况',
  urge: '督办催办',
  follow_up: '跟踪问效',
  evaluation_timeout: '逾期未评价',
};

/**
 * One command with its arguments, as the admin API and the chat send them (the `actor` aside). Dates are Shanghai
 * calendar dates `YYYY-MM-DD`.
 */
export type LifecycleCommand =
  | { action: 'accept'; note?: string }
  | { action: 'register'; category?: string; units?: string[]; note?: string }
  | { action: 'reject'; ground: NotRegisteredGround; note: string }
  | { action: 'convert'; consent: true; note?: string }
  | { action: 'merge'; into: number; note?: string }
  | { action: 'return'; reason: string }
  | { action: 'resubmit'; title?: string; reason?: string; suggestions?: string; note?: string }
  | { action: 'withdraw'; note?: string }
  | { action: 'flag_key'; key?: boolean; note?: string }
  | { action: 'award_excellent'; note?: string }
  | { action: 'assign'; host: string; co?: string[]; dueDate?: string; note?: string }
  | { action: 'sign' }
  | { action: 'request_return'; reason: string }
  | { action: 'decide_return'; approve: boolean; host?: string; unit?: string; note?: string }
  | { action: 'record_meeting'; date: string; way: MeetingWay; participants: string; note?: string }
  | { action: 'progress'; note: string }
  | { action: 'co_opinion'; text: string }
  | { action: 'reply'; resultClass: ResultClass; text: string }
  | { action: 'approve_reply'; note?: string }
  | { action: 'reject_reply'; reason: string }
  | { action: 'evaluate'; rating: Rating; comment?: string }
  | { action: 'close'; note?: string }
  | { action: 'confirm_meeting'; held: boolean; note?: string }
  | { action: 'urge'; note?: string }
  | { action: 'follow_up'; note: string }
  | { action: 'evaluation_timeout' };

// ---------------------------------------------------------------------------------------------------------------
// Snapshot and decision

export interface AssignmentSnapshot {
  unit: string;
  role: UnitRole;
  state: AssignmentState;
  /** Last day (inclusive, Shanghai date) the unit may 申请退回; null when no limit. */
  returnBy: string | null;
}

/** What `decide` needs to know about a proposal. */
export interface LifecycleSnapshot {
  status: ProposalStatus;
  /** Current assignments, the reassigned ones included (they no longer count). */
  assignments: readonly AssignmentSnapshot[];
  /** How many times it went back to 重新办理. */
  rehandlingRound: number;
  /** The result class of the last approved reply, if any. */
  lastReplyClass: ResultClass | null;
  /** Already 评为优秀提案 (on its timeline). */
  excellent?: boolean;
}

/** Who is told, relative to the proposal. `units`: every active unit; `changed_units`: the units whose assignment this changes. */
export type Audience = 'proposer' | 'cosigners' | 'staff' | 'host' | 'co' | 'units' | 'changed_units';

export interface AssignmentUpdate {
  unit: string;
  to: AssignmentState;
}

export interface Allowed {
  ok: true;
  action: LifecycleAction;
  role: LifecycleRole;
  from: ProposalStatus;
  to: ProposalStatus;
  /** Sub-state changes of assignments (the new assignments of `assign` are the service's). */
  assignments: AssignmentUpdate[];
  notify: Audience[];
}

export interface Refused {
  ok: false;
  /** 403: the role may never do this; 409: not in this state. */
  code: 403 | 409;
  reason: string;
}

export type Decision = Allowed | Refused;

// ---------------------------------------------------------------------------------------------------------------
// The table

interface Rule {
  roles: readonly LifecycleRole[];
  from: readonly ProposalStatus[];
}

const BEFORE_REGISTRATION: readonly ProposalStatus[] = ['submitted', 'under_review'];
const UNDER_HANDLING: readonly ProposalStatus[] = ['in_progress', 'rehandling'];
const AFTER_ASSIGNMENT: readonly ProposalStatus[] = [
  'assigned',
  'return_requested',
  'in_progress',
  'reply_review',
  'replied',
  'rehandling',
];
const REGISTERED_ON: readonly ProposalStatus[] = ['registered', ...AFTER_ASSIGNMENT, 'closed'];
const UNITS: readonly LifecycleRole[] = ['host_unit', 'co_unit'];

/** Which roles may take each action, and from which states. */
export const LIFECYCLE_RULES: Readonly<Record<LifecycleAction, Rule>> = {
  accept: { roles: ['staff'], from: ['submitted'] },
  register: { roles: ['staff'], from: BEFORE_REGISTRATION },
  reject: { roles: ['staff'], from: BEFORE_REGISTRATION },
  convert: { roles: ['staff'], from: ['not_registered'] },
  merge: { roles: ['staff'], from: BEFORE_REGISTRATION },
  return: { roles: ['staff'], from: BEFORE_REGISTRATION },
  resubmit: { roles: ['proposer'], from: ['returned'] },
  withdraw: { roles: ['proposer'], from: ['submitted', 'under_review', 'returned'] },
  flag_key: { roles: ['staff'], from: REGISTERED_ON },
  award_excellent: { roles: ['staff'], from: ['replied', 'closed'] },
  assign: { roles: ['staff'], from: ['registered'] },
  sign: { roles: UNITS, from: ['assigned', 'in_progress', 'rehandling'] },
  request_return: { roles: UNITS, from: ['assigned', 'in_progress'] },
  decide_return: { roles: ['staff'], from: ['return_requested', 'assigned', 'in_progress'] },
  record_meeting: { roles: UNITS, from: UNDER_HANDLING },
  progress: { roles: UNITS, from: UNDER_HANDLING },
  co_opinion: { roles: ['co_unit'], from: UNDER_HANDLING },
  reply: { roles: ['host_unit'], from: UNDER_HANDLING },
  approve_reply: { roles: ['staff', 'supervisor'], from: ['reply_review'] },
  reject_reply: { roles: ['staff', 'supervisor'], from: ['reply_review'] },
  evaluate: { roles: ['proposer'], from: ['replied'] },
  close: { roles: ['staff'], from: ['replied'] },
  confirm_meeting: { roles: ['proposer'], from: [...AFTER_ASSIGNMENT, 'closed'] },
  urge: {
    roles: ['staff', 'supervisor'],
    from: ['assigned', 'return_requested', 'in_progress', 'rehandling'],
  },
  follow_up: { roles: ['staff', 'supervisor'], from: ['closed'] },
  evaluation_timeout: { roles: ['system'], from: ['replied'] },
};

function labels(statuses: readonly ProposalStatus[]): string {
  return statuses.map((s) => `「${PROPOSAL_STATUS_LABELS[s]}」`).join('、');
}

function roleWords(roles: readonly LifecycleRole[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join('或');
}

function refuse(code: 403 | 409, reason: string): Refused {
  return { ok: false, code, reason };
}

function activeAssignments(s: LifecycleSnapshot): AssignmentSnapshot[] {
  return s.assignments.filter((a) => a.state !== 'reassigned');
}

/** The acting unit's live assignment in its role. */
function ownAssignment(s: LifecycleSnapshot, role: LifecycleRole, unit: string | undefined) {
  const want: UnitRole = role === 'host_unit' ? 'host' : 'co';
  return activeAssignments(s).find((a) => a.role === want && (unit === undefined || a.unit === unit));
}

/**
 * Whether `role` may take `command` on a proposal in `snapshot`. `unit` names the unit a host/co actor acts for,
 * `today` the Shanghai date (YYYY-MM-DD) for the 申请退回 window. Refusals say who can do it and in which state.
 */
export function decide(
  snapshot: LifecycleSnapshot,
  command: LifecycleCommand,
  role: LifecycleRole,
  ctx: { unit?: string; today?: string } = {},
): Decision {
  const action = command.action;
  const rule = LIFECYCLE_RULES[action];
  const name = ACTION_LABELS[action];
  if (!rule.roles.includes(role)) {
    return refuse(
      403,
      `只有${roleWords(rule.roles)}可以${name}（在${labels(rule.from)}状态下），您是本件提案的${ROLE_LABELS[role]}。`,
    );
  }
  const from = snapshot.status;
  if (!rule.from.includes(from)) {
    return refuse(
      409,
      `提案目前为「${PROPOSAL_STATUS_LABELS[from]}」，${roleWords(rule.roles)}只能在${labels(rule.from)}状态下${name}。`,
    );
  }
  const allow = (to: ProposalStatus, notify: Audience[], assignments: AssignmentUpdate[] = []): Allowed => ({
    ok: true,
    action,
    role,
    from,
    to,
    assignments,
    notify,
  });
  const own = UNITS.includes(role) ? ownAssignment(snapshot, role, ctx.unit) : undefined;
  if (UNITS.includes(role) && own === undefined) {
    return refuse(403, `您的单位不是本件提案的${ROLE_LABELS[role]}，不能${name}。`);
  }

  switch (command.action) {
    case 'accept':
      return allow('under_review', ['proposer']);
    case 'register':
      return allow('registered', ['proposer', 'cosigners']);
    case 'reject':
      return allow('not_registered', ['proposer', 'cosigners']);
    case 'convert':
      return allow('converted', ['proposer']);
    case 'merge':
      return allow('merged', ['proposer', 'cosigners']);
    case 'return':
      return allow('returned', ['proposer']);
    case 'resubmit':
      return allow('submitted', ['staff']);
    case 'withdraw':
      return allow('withdrawn', ['staff', 'cosigners']);
    case 'flag_key':
      return allow(from, ['proposer']);
    case 'award_excellent':
      if (snapshot.excellent === true) return refuse(409, '本件提案已评为优秀提案。');
      return allow(from, ['proposer', 'cosigners']);
    case 'assign':
      return allow('assigned', ['units', 'proposer', 'cosigners']);
    case 'sign': {
      if (own === undefined) break;
      if (own.state !== 'pending')
        return refuse(409, `您的单位已经签收过本件提案（${ASSIGNMENT_STATE_LABELS[own.state]}）。`);
      const to = own.role === 'host' && from === 'assigned' ? 'in_progress' : from;
      return allow(to, own.role === 'host' ? ['proposer'] : [], [{ unit: own.unit, to: 'signed' }]);
    }
    case 'request_return': {
      if (own === undefined) break;
      if (own.state !== 'pending' && own.state !== 'signed')
        return refuse(409, `您的单位目前「${ASSIGNMENT_STATE_LABELS[own.state]}」，不能再申请退回。`);
      if (own.returnBy !== null && ctx.today !== undefined && ctx.today > own.returnBy)
        return refuse(409, `申请退回的期限（${own.returnBy}）已过，请按交办办理；确有困难请联系提案委。`);
      const to = own.role === 'host' ? 'return_requested' : from;
      return allow(to, ['staff'], [{ unit: own.unit, to: 'return_requested' }]);
    }
    case 'decide_return': {
      const asking = activeAssignments(snapshot).filter(
        (a) => a.state === 'return_requested' && (command.unit === undefined || a.unit === command.unit),
      );
      const target = asking[0];
      if (target === undefined) return refuse(409, '本件提案没有待审批的退回申请。');
      if (asking.length > 1)
        return refuse(409, `有 ${asking.length} 个单位申请退回，请用 unit 指明审批哪一个单位的申请。`);
      if (!command.approve) {
        const to = target.role === 'host' ? 'in_progress' : from;
        return allow(to, ['changed_units'], [{ unit: target.unit, to: 'signed' }]);
      }
      if (target.role === 'co')
        return allow(from, ['changed_units'], [{ unit: target.unit, to: 'reassigned' }]);
      // The host leaves: with a new host the proposal is 交办 again at once, without one it waits for 交办.
      return allow(
        command.host === undefined ? 'registered' : 'assigned',
        // With a new host, its contacts are told it is theirs now (`host` is the new one once applied).
        command.host === undefined ? ['changed_units', 'proposer'] : ['changed_units', 'host', 'proposer'],
        [{ unit: target.unit, to: 'reassigned' }],
      );
    }
    case 'record_meeting':
    case 'progress': {
      if (own === undefined) break;
      if (own.state === 'pending') return refuse(409, `请先签收本件提案，再${name}。`);
      return allow(from, ['proposer']);
    }
    case 'co_opinion': {
      if (own === undefined) break;
      if (own.state === 'pending') return refuse(409, `请先签收本件提案，再${name}。`);
      if (own.state === 'opinion_sent') return refuse(409, '您的单位已经提交过会办意见。');
      if (own.state !== 'signed')
        return refuse(409, `您的单位目前「${ASSIGNMENT_STATE_LABELS[own.state]}」，不能提交会办意见。`);
      return allow(from, ['host'], [{ unit: own.unit, to: 'opinion_sent' }]);
    }
    case 'reply': {
      if (own === undefined) break;
      if (own.state === 'pending') return refuse(409, `请先签收本件提案，再${name}。`);
      const missing = activeAssignments(snapshot).filter(
        (a) => a.role === 'co' && a.state !== 'opinion_sent',
      );
      if (missing.length > 0)
        return refuse(
          409,
          `会办单位${missing.map((a) => a.unit).join('、')}尚未提交会办意见，主办单位需汇总会办意见后再答复。`,
        );
      return allow('reply_review', ['staff'], [{ unit: own.unit, to: 'replied' }]);
    }
    case 'approve_reply':
      return allow('replied', ['proposer', 'cosigners', 'host']);
    case 'reject_reply': {
      const host = activeAssignments(snapshot).find((a) => a.role === 'host');
      const back = snapshot.rehandlingRound > 0 ? 'rehandling' : 'in_progress';
      return allow(back, ['host'], host ? [{ unit: host.unit, to: 'signed' }] : []);
    }
    case 'evaluate': {
      if (command.rating === '不满意') {
        const host = activeAssignments(snapshot).find((a) => a.role === 'host');
        return allow('rehandling', ['host', 'staff'], host ? [{ unit: host.unit, to: 'signed' }] : []);
      }
      return allow('closed', ['host', 'staff']);
    }
    case 'close':
      return allow('closed', ['proposer', 'host']);
    case 'confirm_meeting':
      return allow(from, command.held ? [] : ['staff', 'host']);
    case 'urge':
      return allow(from, ['units']);
    case 'follow_up':
      if (snapshot.lastReplyClass !== 'B' && snapshot.lastReplyClass !== 'C')
        return refuse(409, '跟踪问效只用于答复为 B 类（列入计划拟解决）或 C 类（留作参考）的提案。');
      return allow(from, ['proposer', 'host']);
    case 'evaluation_timeout':
      return allow('closed', ['proposer', 'staff']);
  }
  // Unreachable: the unit roles were checked above.
  return refuse(403, `您的单位不是本件提案的承办单位，不能${name}。`);
}

/**
 * Tries each role the person holds; the first that is allowed wins. Otherwise the refusal of a role the action is
 * meant for (a 409 explains the state), else the first 403.
 */
export function decideFor(
  snapshot: LifecycleSnapshot,
  command: LifecycleCommand,
  roles: readonly LifecycleRole[],
  ctx: { unit?: string; today?: string } = {},
): Decision {
  const tried = (roles.length > 0 ? roles : (['member'] as const)).map((r) =>
    decide(snapshot, command, r, ctx),
  );
  return (
    tried.find((d) => d.ok) ??
    tried.find((d) => !d.ok && d.code === 409) ??
    tried[0] ??
    refuse(403, '无权操作')
  );
}

/** The states after which nothing more happens (besides 跟踪问效 on closed ones). */
export const TERMINAL_STATUSES: readonly ProposalStatus[] = ['withdrawn', 'merged', 'converted', 'closed'];

/** Whose move it is now, in member words, for status answers ("what happens next"). */
export const NEXT_STEP: Readonly<Record<ProposalStatus, string>> = {
  submitted: '等待提案委审查',
  under_review: '提案委审查中，将决定是否立案',
  returned: '请按退回意见修改后重新提交',
  withdrawn: '已撤回，不再办理',
  merged: '已并入另一件提案，随其一并办理',
  not_registered: '未立案；经您同意可转为社情民意信息报送',
  converted: '已转为社情民意信息，按社情民意审核报送',
  registered: '等待交办承办单位',
  assigned: '等待承办单位签收',
  return_requested: '承办单位申请退回，等待提案委审批',
  in_progress: '承办单位办理中，将与您面商并答复',
  reply_review: '答复已提交，提案委审核中',
  replied: '请对答复进行评价（满意 / 基本满意 / 不满意）',
  rehandling: '承办单位重新办理中',
  closed: '已办结',
};
