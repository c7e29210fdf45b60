import { describe, expect, it } from 'vitest';
import {
  decide,
  decideFor,
  LIFECYCLE_ACTIONS,
  LIFECYCLE_ROLES,
  type AssignmentState,
  type LifecycleAction,
  type LifecycleCommand,
  type LifecycleRole,
  type LifecycleSnapshot,
} from '../../../src/features/proposals/domain/lifecycle.js';
import { PROPOSAL_STATUSES, type ProposalStatus } from '../../../src/features/proposals/domain/status.js';

/**
 * The expected machine, written out independently of the module's table: who may take each action,
 * from which states, and where it leads ('same' keeps the state). Every state × action × role is checked against it.
 */
type Spec = {
  roles: LifecycleRole[];
  from: ProposalStatus[];
  to: (from: ProposalStatus, role: LifecycleRole) => ProposalStatus;
};
const same = (from: ProposalStatus) => from;
const to = (s: ProposalStatus) => () => s;
const AFTER_ASSIGN: ProposalStatus[] = [
  'assigned',
  'return_requested',
  'in_progress',
  'reply_review',
  'replied',
  'rehandling',
];

const SPEC: Record<LifecycleAction, Spec> = {
  accept: { roles: ['staff'], from: ['submitted'], to: to('under_review') },
  register: { roles: ['staff'], from: ['submitted', 'under_review'], to: to('registered') },
  reject: { roles: ['staff'], from: ['submitted', 'under_review'], to: to('not_registered') },
  convert: { roles: ['staff'], from: ['not_registered'], to: to('converted') },
  merge: { roles: ['staff'], from: ['submitted', 'under_review'], to: to('merged') },
  return: { roles: ['staff'], from: ['submitted', 'under_review'], to: to('returned') },
  resubmit: { roles: ['proposer'], from: ['returned'], to: to('submitted') },
  withdraw: { roles: ['proposer'], from: ['submitted', 'under_review', 'returned'], to: to('withdrawn') },
  flag_key: { roles: ['staff'], from: ['registered', ...AFTER_ASSIGN, 'closed'], to: same },
  award_excellent: { roles: ['staff'], from: ['replied', 'closed'], to: same },
  assign: { roles: ['staff'], from: ['registered'], to: to('assigned') },
  sign: {
    roles: ['host_unit', 'co_unit'],
    from: ['assigned', 'in_progress', 'rehandling'],
    to: (from, role) => (role === 'host_unit' && from === 'assigned' ? 'in_progress' : from),
  },
  request_return: {
    roles: ['host_unit', 'co_unit'],
    from: ['assigned', 'in_progress'],
    to: (from, role) => (role === 'host_unit' ? 'return_requested' : from),
  },
  decide_return: {
    roles: ['staff'],
    from: ['return_requested', 'assigned', 'in_progress'],
    to: to('in_progress'),
  },
  record_meeting: { roles: ['host_unit', 'co_unit'], from: ['in_progress', 'rehandling'], to: same },
  progress: { roles: ['host_unit', 'co_unit'], from: ['in_progress', 'rehandling'], to: same },
  co_opinion: { roles: ['co_unit'], from: ['in_progress', 'rehandling'], to: same },
  reply: { roles: ['host_unit'], from: ['in_progress', 'rehandling'], to: to('reply_review') },
  approve_reply: { roles: ['staff', 'supervisor'], from: ['reply_review'], to: to('replied') },
  reject_reply: { roles: ['staff', 'supervisor'], from: ['reply_review'], to: to('in_progress') },
  evaluate: { roles: ['proposer'], from: ['replied'], to: to('closed') },
  close: { roles: ['staff'], from: ['replied'], to: to('closed') },
  confirm_meeting: { roles: ['proposer'], from: [...AFTER_ASSIGN, 'closed'], to: same },
  urge: {
    roles: ['staff', 'supervisor'],
    from: ['assigned', 'return_requested', 'in_progress', 'rehandling'],
    to: same,
  },
  follow_up: { roles: ['staff', 'supervisor'], from: ['closed'], to: to('closed') },
  evaluation_timeout: { roles: ['system'], from: ['replied'], to: to('closed') },
};

/** A command with its arguments, and the sub-state in which it is possible. */
const SAMPLE: Record<
  LifecycleAction,
  { command: LifecycleCommand; host: AssignmentState; co: AssignmentState }
> = {
  accept: { command: { action: 'accept' }, host: 'signed', co: 'signed' },
  register: { command: { action: 'register' }, host: 'signed', co: 'signed' },
  reject: {
    command: { action: 'reject', ground: '属于学术研讨的', note: '学术论文' },
    host: 'signed',
    co: 'signed',
  },
  convert: { command: { action: 'convert', consent: true }, host: 'signed', co: 'signed' },
  merge: { command: { action: 'merge', into: 9 }, host: 'signed', co: 'signed' },
  return: { command: { action: 'return', reason: '请补充数据' }, host: 'signed', co: 'signed' },
  resubmit: { command: { action: 'resubmit' }, host: 'signed', co: 'signed' },
  withdraw: { command: { action: 'withdraw' }, host: 'signed', co: 'signed' },
  flag_key: { command: { action: 'flag_key' }, host: 'signed', co: 'signed' },
  award_excellent: { command: { action: 'award_excellent' }, host: 'replied', co: 'opinion_sent' },
  assign: { command: { action: 'assign', host: '县教育局' }, host: 'signed', co: 'signed' },
  sign: { command: { action: 'sign' }, host: 'pending', co: 'pending' },
  request_return: {
    command: { action: 'request_return', reason: '不属本单位职责' },
    host: 'pending',
    co: 'pending',
  },
  decide_return: {
    command: { action: 'decide_return', approve: false },
    host: 'return_requested',
    co: 'signed',
  },
  record_meeting: {
    command: { action: 'record_meeting', date: '2026-05-06', way: '面谈', participants: '张三、李四' },
    host: 'signed',
    co: 'signed',
  },
  progress: { command: { action: 'progress', note: '已召开专题会' }, host: 'signed', co: 'signed' },
  co_opinion: { command: { action: 'co_opinion', text: '同意主办意见' }, host: 'signed', co: 'signed' },
  reply: {
    command: { action: 'reply', resultClass: 'A', text: '已解决' },
    host: 'signed',
    co: 'opinion_sent',
  },
  approve_reply: { command: { action: 'approve_reply' }, host: 'replied', co: 'opinion_sent' },
  reject_reply: {
    command: { action: 'reject_reply', reason: '答复过于笼统' },
    host: 'replied',
    co: 'opinion_sent',
  },
  evaluate: { command: { action: 'evaluate', rating: '满意' }, host: 'replied', co: 'opinion_sent' },
  close: { command: { action: 'close' }, host: 'replied', co: 'opinion_sent' },
  confirm_meeting: { command: { action: 'confirm_meeting', held: true }, host: 'signed', co: 'signed' },
  urge: { command: { action: 'urge' }, host: 'signed', co: 'signed' },
  follow_up: {
    command: { action: 'follow_up', note: '已列入明年计划' },
    host: 'replied',
    co: 'opinion_sent',
  },
  evaluation_timeout: { command: { action: 'evaluation_timeout' }, host: 'replied', co: 'opinion_sent' },
};

function snapshot(status: ProposalStatus, host: AssignmentState, co: AssignmentState): LifecycleSnapshot {
  return {
    status,
    assignments: [
      { unit: '县教育局', role: 'host', state: host, returnBy: null },
      { unit: '县财政局', role: 'co', state: co, returnBy: null },
    ],
    rehandlingRound: 0,
    lastReplyClass: 'B',
  };
}

const unitOf = (role: LifecycleRole) =>
  role === 'host_unit' ? '县教育局' : role === 'co_unit' ? '县财政局' : undefined;

describe('the proposal lifecycle table: every state × action × role', () => {
  const cases = PROPOSAL_STATUSES.flatMap((status) =>
    LIFECYCLE_ACTIONS.flatMap((action) => LIFECYCLE_ROLES.map((role) => ({ status, action, role }))),
  );

  it('covers all of them', () => {
    expect(cases.length).toBe(PROPOSAL_STATUSES.length * LIFECYCLE_ACTIONS.length * LIFECYCLE_ROLES.length);
    expect(cases.length).toBeGreaterThan(2000);
  });

  it.each(cases)('$action by $role in $status', ({ status, action, role }) => {
    const spec = SPEC[action];
    const sample = SAMPLE[action];
    const unit = unitOf(role);
    const d = decide(snapshot(status, sample.host, sample.co), sample.command, role, {
      ...(unit ? { unit } : {}),
      today: '2026-05-06',
    });
    if (!spec.roles.includes(role)) {
      expect(d).toMatchObject({ ok: false, code: 403 });
      if (!d.ok) expect(d.reason).toMatch(/^只有.+可以/);
    } else if (!spec.from.includes(status)) {
      expect(d).toMatchObject({ ok: false, code: 409 });
      if (!d.ok) expect(d.reason).toContain('提案目前为');
    } else {
      expect(d).toMatchObject({ ok: true, from: status, to: spec.to(status, role), role, action });
    }
  });
});

describe('sub-state rules', () => {
  const at = (status: ProposalStatus, host: AssignmentState, co: AssignmentState) =>
    snapshot(status, host, co);

  it('评为优秀提案 once: a second award is refused with the reason', () => {
    const s = { ...at('closed', 'replied', 'opinion_sent'), excellent: true };
    const d = decide(s, { action: 'award_excellent' }, 'staff');
    expect(d).toMatchObject({ ok: false, code: 409 });
    if (!d.ok) expect(d.reason).toContain('已评为优秀提案');
    expect(
      decide(at('closed', 'replied', 'opinion_sent'), { action: 'award_excellent' }, 'staff'),
    ).toMatchObject({ ok: true, to: 'closed', notify: ['proposer', 'cosigners'] });
  });

  it('a unit signs once', () => {
    const d = decide(at('in_progress', 'signed', 'pending'), { action: 'sign' }, 'host_unit', {
      unit: '县教育局',
    });
    expect(d).toMatchObject({ ok: false, code: 409 });
    const co = decide(at('in_progress', 'signed', 'pending'), { action: 'sign' }, 'co_unit', {
      unit: '县财政局',
    });
    expect(co).toMatchObject({
      ok: true,
      to: 'in_progress',
      assignments: [{ unit: '县财政局', to: 'signed' }],
    });
  });

  it('the host replies only after every co unit sent its opinion', () => {
    const d = decide(
      at('in_progress', 'signed', 'signed'),
      { action: 'reply', resultClass: 'A', text: '…' },
      'host_unit',
      {
        unit: '县教育局',
      },
    );
    expect(d).toMatchObject({ ok: false, code: 409 });
    if (!d.ok) expect(d.reason).toContain('县财政局');
  });

  it('申请退回 only within its window', () => {
    const s: LifecycleSnapshot = {
      ...at('assigned', 'pending', 'pending'),
      assignments: [{ unit: '县教育局', role: 'host', state: 'pending', returnBy: '2026-05-08' }],
    };
    const cmd: LifecycleCommand = { action: 'request_return', reason: '不属本单位职责' };
    expect(decide(s, cmd, 'host_unit', { unit: '县教育局', today: '2026-05-08' })).toMatchObject({
      ok: true,
    });
    expect(decide(s, cmd, 'host_unit', { unit: '县教育局', today: '2026-05-09' })).toMatchObject({
      ok: false,
      code: 409,
    });
  });

  it('不满意 sends it back to the host; 满意 closes it', () => {
    const s = at('replied', 'replied', 'opinion_sent');
    expect(decide(s, { action: 'evaluate', rating: '不满意' }, 'proposer')).toMatchObject({
      ok: true,
      to: 'rehandling',
      assignments: [{ unit: '县教育局', to: 'signed' }],
    });
    expect(decide(s, { action: 'evaluate', rating: '基本满意' }, 'proposer')).toMatchObject({
      ok: true,
      to: 'closed',
    });
  });

  it('a rejected reply in a second round goes back to 重新办理', () => {
    const s = { ...at('reply_review', 'replied', 'opinion_sent'), rehandlingRound: 1 };
    expect(decide(s, { action: 'reject_reply', reason: '…' }, 'staff')).toMatchObject({
      ok: true,
      to: 'rehandling',
    });
  });

  it('an approved 退回 re-assigns at once with a new host, else waits for 交办', () => {
    const s = at('return_requested', 'return_requested', 'signed');
    expect(decide(s, { action: 'decide_return', approve: true, host: '县民政局' }, 'staff')).toMatchObject({
      ok: true,
      to: 'assigned',
      assignments: [{ unit: '县教育局', to: 'reassigned' }],
    });
    expect(decide(s, { action: 'decide_return', approve: true }, 'staff')).toMatchObject({
      ok: true,
      to: 'registered',
    });
    expect(
      decide(at('in_progress', 'signed', 'signed'), { action: 'decide_return', approve: true }, 'staff'),
    ).toMatchObject({
      ok: false,
      code: 409,
    });
  });

  it('跟踪问效 only for B/C replies', () => {
    const s = { ...at('closed', 'replied', 'opinion_sent'), lastReplyClass: 'A' as const };
    expect(decide(s, { action: 'follow_up', note: '…' }, 'staff')).toMatchObject({ ok: false, code: 409 });
  });

  it('a unit that is not on the proposal is refused 403', () => {
    const d = decide(at('in_progress', 'signed', 'signed'), { action: 'progress', note: '…' }, 'host_unit', {
      unit: '县公安局',
    });
    expect(d).toMatchObject({ ok: false, code: 403 });
  });

  it('decideFor: the role that may act wins; else a 409 explains the state before a 403', () => {
    const s = at('submitted', 'signed', 'signed');
    expect(decideFor(s, { action: 'withdraw' }, ['staff', 'proposer'])).toMatchObject({
      ok: true,
      role: 'proposer',
    });
    expect(
      decideFor(at('closed', 'signed', 'signed'), { action: 'withdraw' }, ['staff', 'proposer']),
    ).toMatchObject({
      ok: false,
      code: 409,
    });
    expect(decideFor(s, { action: 'accept' }, ['member'])).toMatchObject({ ok: false, code: 403 });
  });
});
