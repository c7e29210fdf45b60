/**
 * The proposal lifecycle service: loads a proposal, asks `decide` (domain/lifecycle.ts), and writes what follows in
 * one `proposal.transition` change (state, timeline, assignments, records, scheduled deadlines) plus the outbox
 * notices of whoever it concerns. Refusals change nothing. The admin API, the chat and the deadline poller all come
 * through here.
 */
import type { Change, Database, Member, NewOutboxMessage } from '../../../core/ports.js';
import { formatShanghaiDate, shanghaiTime } from '../../../shared/chinaTime.js';
import { sentimentFromProposal } from '../../sentiment/index.js';
import { addMonths, addWorkingDays, subtractWorkingDays } from '../../../shared/workdays.js';
import {
  ACTION_LABELS,
  ASSIGNMENT_STATE_LABELS,
  decideFor,
  NEXT_STEP,
  ROLE_LABELS,
  TERMINAL_STATUSES,
  UNIT_ROLE_LABELS,
  type Audience,
  type LifecycleCommand,
  type LifecycleRole,
  type LifecycleSnapshot,
} from '../domain/lifecycle.js';
import { buildEvaluationCard } from '../domain/lifecycleCards.js';
import { RESULT_CLASS_LABELS } from '../domain/lifecycle.js';
import { PROPOSAL_STATUS_LABELS, type ProposalStatus } from '../domain/status.js';
import type { Assignment, NewAssignment, NewDeadline, Proposal, ProposalTransition } from '../ports.js';
import { proposalStore } from '../proposalStore.js';
import { StaleProposalError } from '../rows.js';
import { lifecycleText } from './texts.js';
import type {
  ActResult,
  AssignmentView,
  LifecycleRequest,
  LifecycleService,
  LifecycleSettings,
  PlanResult,
  ProposalListItem,
  ProposalView,
  TodoItem,
} from './types.js';
import { computeStatistics } from './statistics.js';

type Refusal = Extract<ActResult, { ok: false }>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Statuses in which a proposal's dueDate is live (a deadline someone must meet). */
export const LIVE_STATUSES: readonly ProposalStatus[] = [
  'assigned',
  'return_requested',
  'in_progress',
  'reply_review',
  'replied',
  'rehandling',
];

function refused(status: Refusal['status'], reason: string): Refusal {
  return { ok: false, status, reason };
}

function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** 09:00 Shanghai on a date: when deadline work falls due. */
export function morningOf(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return shanghaiTime({ year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 9, minute: 0 }) ?? new Date(0);
}

function live(assignments: readonly Assignment[]): Assignment[] {
  return assignments.filter((a) => a.state !== 'reassigned');
}

export function snapshotOf(
  p: Proposal,
  assignments: readonly Assignment[],
  excellent = false,
): LifecycleSnapshot {
  return {
    excellent,
    status: p.status,
    assignments: assignments.map((a) => ({
      unit: a.unit,
      role: a.role,
      state: a.state,
      returnBy: a.returnBy,
    })),
    rehandlingRound: p.rehandlingRound,
    lastReplyClass: p.lastReplyClass,
  };
}

/** The arguments worth keeping on the timeline (the command without its action and free notes). */
function detailsOf(command: LifecycleCommand): Record<string, unknown> {
  const { action: _action, ...rest } = command;
  return rest;
}

function noteOf(command: LifecycleCommand): string | null {
  const c = command as Record<string, unknown>;
  for (const k of ['note', 'reason', 'comment', 'text']) {
    const v = c[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

export function createLifecycleService(settings: LifecycleSettings): LifecycleService {
  const units = settings.units;

  async function contactsByUnit(
    db: Database,
  ): Promise<{ members: Member[]; contacts: Map<string, Member[]> }> {
    const members = (await db.members.list()).filter((m) => m.active);
    const contacts = new Map<string, Member[]>();
    for (const m of members) {
      if (m.role !== 'unit' || !m.unit) continue;
      contacts.set(m.unit, [...(contacts.get(m.unit) ?? []), m]);
    }
    return { members, contacts };
  }

  /** Checks the arguments against the facts (units exist, dates are real, the primary can take a merge). */
  async function checkArguments(
    db: Database,
    p: Proposal,
    command: LifecycleCommand,
    today: string,
    assignments: readonly Assignment[],
  ): Promise<Refusal | null> {
    const unknown = (u: string) => refused(400, `「${u}」不在承办单位名单中（flows/units.yaml）。`);
    switch (command.action) {
      case 'assign': {
        if (!units.includes(command.host)) return unknown(command.host);
        const co = command.co ?? [];
        for (const u of co) if (!units.includes(u)) return unknown(u);
        if (co.includes(command.host))
          return refused(400, `「${command.host}」已是主办单位，不能同时作为会办单位。`);
        if (new Set(co).size !== co.length) return refused(400, '会办单位有重复。');
        if (command.dueDate !== undefined && (!isDate(command.dueDate) || command.dueDate <= today))
          return refused(400, `答复期限应为今天以后的日期（YYYY-MM-DD），收到「${command.dueDate}」。`);
        return null;
      }
      case 'decide_return': {
        if (command.host === undefined) return null;
        if (!command.approve) return refused(400, '驳回退回申请时不能指定新的主办单位。');
        if (!units.includes(command.host)) return unknown(command.host);
        const asking = live(assignments).find((a) => a.state === 'return_requested');
        if (asking && asking.unit === command.host) return refused(400, '新的主办单位不能是申请退回的单位。');
        return null;
      }
      case 'merge': {
        if (command.into === p.id) return refused(400, '不能并入自己。');
        const primary = await proposalStore(db).get(command.into);
        if (!primary) return refused(404, `没有 id 为 ${command.into} 的提案。`);
        if (['withdrawn', 'merged', 'not_registered', 'converted', 'returned'].includes(primary.status))
          return refused(
            409,
            `主提案 ${primary.number} 目前为「${PROPOSAL_STATUS_LABELS[primary.status]}」，不能作为并案的主提案。`,
          );
        return null;
      }
      case 'record_meeting':
        if (!isDate(command.date) || command.date > today)
          return refused(400, `面商日期应为今天或以前的日期（YYYY-MM-DD），收到「${command.date}」。`);
        return null;
      case 'accept':
      case 'approve_reply':
      case 'close':
      case 'co_opinion':
      case 'confirm_meeting':
      case 'convert':
      case 'evaluate':
      case 'evaluation_timeout':
      case 'award_excellent':
      case 'flag_key':
      case 'follow_up':
      case 'progress':
      case 'register':
      case 'reject_reply':
      case 'reject':
      case 'reply':
      case 'request_return':
      case 'resubmit':
      case 'return':
      case 'sign':
      case 'urge':
      case 'withdraw':
        return null;
    }
  }

  async function plan(db: Database, now: Date, req: LifecycleRequest): Promise<PlanResult> {
    const store = proposalStore(db);
    const p = await store.get(req.proposalId);
    if (!p) return refused(404, `没有 id 为 ${req.proposalId} 的提案。`);
    const assignments = await store.assignmentsFor([p.id]);
    const today = formatShanghaiDate(now);
    const { members, contacts } = await contactsByUnit(db);
    const cosigners = (await store.cosigners(p.id))
      .filter((c) => c.status === 'accepted')
      .map((c) => c.userId);

    // Who is acting, and as what.
    let roles: LifecycleRole[] = [];
    let unit: string | undefined;
    let onBehalf = false;
    let actorWords = '系统';
    if (req.actorId === 'system') {
      roles = ['system'];
    } else {
      const actor = members.find((m) => m.userId === req.actorId);
      if (!actor) return refused(403, `「${req.actorId}」不在成员名册中（或已停用），不能办理提案。`);
      actorWords = actor.name;
      if (req.onBehalfOfUnit !== undefined) {
        if (actor.role !== 'staff') return refused(403, '只有提案委工作人员可以代承办单位录入（代录）。');
        const a = live(assignments).find((x) => x.unit === req.onBehalfOfUnit);
        if (!a) return refused(409, `「${req.onBehalfOfUnit}」不是本件提案的承办单位，无法代录。`);
        const own = contacts.get(a.unit) ?? [];
        if (own.length > 0)
          return refused(
            409,
            `「${a.unit}」有企业微信联系人（${own.map((m) => m.name).join('、')}），请由其本人办理；只有没有联系人的单位才由工作人员代录。`,
          );
        roles = [a.role === 'host' ? 'host_unit' : 'co_unit'];
        unit = a.unit;
        onBehalf = true;
        actorWords = `${a.unit}（${actor.name}代录）`;
      } else {
        if (actor.role === 'staff') roles.push('staff');
        if (actor.role === 'supervisor') roles.push('supervisor');
        if (p.ownerId === actor.userId) roles.push('proposer');
        if (cosigners.includes(actor.userId)) roles.push('cosigner');
        if (actor.role === 'unit' && actor.unit) {
          const a = live(assignments).find((x) => x.unit === actor.unit);
          if (a) {
            roles.push(a.role === 'host' ? 'host_unit' : 'co_unit');
            unit = a.unit;
            actorWords = a.unit;
          }
        }
        if (roles.length === 0) roles.push('member');
      }
    }

    const excellent = (await store.timeline(p.id)).some((e) => e.kind === 'award_excellent');
    const decision = decideFor(snapshotOf(p, assignments, excellent), req.command, roles, {
      ...(unit !== undefined ? { unit } : {}),
      today,
    });
    if (!decision.ok) return refused(decision.code, decision.reason);
    const bad = await checkArguments(db, p, req.command, today, assignments);
    if (bad) return bad;

    const command = req.command;
    const transition: ProposalTransition = {
      type: 'proposal.transition',
      proposalId: p.id,
      expectedVersion: p.version,
      status: decision.to,
      patch: {},
      event: {
        kind: command.action,
        actorId: req.actorId,
        actorRole: decision.role,
        unit: unit ?? null,
        onBehalf,
        fromStatus: decision.from,
        toStatus: decision.to,
        note: noteOf(command),
        details: detailsOf(command),
      },
      newAssignments: [],
      assignmentUpdates: decision.assignments.map((u) => ({
        unit: u.unit,
        state: u.to,
        ...(u.to === 'signed' && command.action === 'sign' ? { signedAt: now } : {}),
      })),
      deadlines: [],
      at: now,
    };
    const round = p.rehandlingRound;
    const newAssignment = (u: string, role: 'host' | 'co', replyDue: string): NewAssignment => ({
      unit: u,
      role,
      meetingDue: addWorkingDays(today, settings.meetingWorkingDays),
      returnBy: addWorkingDays(today, settings.returnWorkingDays),
      replyDue,
    });
    const replyDeadlines = (u: string, due: string, r: number): NewDeadline[] => [
      {
        kind: 'reply_remind',
        unit: u,
        round: r,
        dueAt: morningOf(subtractWorkingDays(due, settings.remindWorkingDaysBefore)),
      },
      { kind: 'reply_overdue', unit: u, round: r, dueAt: morningOf(addWorkingDays(due, 1)) },
    ];
    const assignDeadlines = (a: NewAssignment, r: number): NewDeadline[] => [
      {
        kind: 'meeting_remind',
        unit: a.unit,
        round: r,
        dueAt: morningOf(subtractWorkingDays(a.meetingDue ?? today, settings.remindWorkingDaysBefore)),
      },
      ...(a.role === 'host' ? replyDeadlines(a.unit, a.replyDue ?? today, r) : []),
    ];
    let hostUnit = live(assignments).find((a) => a.role === 'host')?.unit ?? null;
    let coUnits = live(assignments)
      .filter((a) => a.role === 'co')
      .map((a) => a.unit);
    let dueDate: string | null = p.dueDate;
    let mergedIntoNumber: string | null = null;
    let reportNumber: string | null = null;
    /** What another feature writes with this transition (the 社情民意 report of a 转社情民意). */
    const alongside: Change[] = [];

    switch (command.action) {
      case 'register':
        if (command.category !== undefined) transition.patch.category = command.category;
        if (command.units !== undefined) {
          for (const u of command.units)
            if (!units.includes(u)) return refused(400, `「${u}」不在承办单位名单中。`);
          transition.patch.handlingUnits = command.units;
        }
        break;
      case 'merge': {
        transition.patch.mergedInto = command.into;
        mergedIntoNumber = (await store.get(command.into))?.number ?? null;
        transition.event.details = { ...transition.event.details, intoNumber: mergedIntoNumber };
        break;
      }
      case 'resubmit':
        if (command.title !== undefined) transition.patch.title = command.title;
        if (command.reason !== undefined) transition.patch.reason = command.reason;
        if (command.suggestions !== undefined) transition.patch.suggestions = command.suggestions;
        break;
      case 'flag_key':
        transition.patch.keyProposal = command.key ?? true;
        break;
      case 'convert': {
        // 转社情民意: the report carrying the proposal's text is written in the same commit as the transition.
        const report = await sentimentFromProposal(
          db,
          {
            id: p.id,
            number: p.number,
            ownerId: p.ownerId,
            title: p.title,
            category: p.category,
            reason: p.reason,
            suggestions: p.suggestions,
          },
          now,
        );
        reportNumber = report.number;
        alongside.push(...report.changes);
        transition.event.details = { ...transition.event.details, reportNumber };
        break;
      }
      case 'assign': {
        const due = command.dueDate ?? addMonths(today, settings.replyMonths);
        const host = newAssignment(command.host, 'host', due);
        const co = (command.co ?? []).map((u) => newAssignment(u, 'co', due));
        // Assigned again after an approved 退回: the units still on it from before give way to the new list.
        transition.assignmentUpdates = live(assignments).map((a) => ({ unit: a.unit, state: 'reassigned' }));
        transition.newAssignments = [host, ...co];
        transition.deadlines = [
          ...transition.newAssignments.flatMap((a) => assignDeadlines(a, round)),
          { kind: 'meeting_check', unit: '', round: 0, dueAt: morningOf(host.meetingDue ?? today) },
        ];
        hostUnit = command.host;
        coUnits = command.co ?? [];
        dueDate = due;
        break;
      }
      case 'decide_return':
        if (command.approve && command.host !== undefined) {
          const due = addMonths(today, settings.replyMonths);
          const host = newAssignment(command.host, 'host', due);
          transition.newAssignments = [host];
          transition.deadlines = assignDeadlines(host, round);
          hostUnit = command.host;
          dueDate = due;
        } else if (command.approve && decision.to === 'registered') {
          dueDate = null;
          hostUnit = null;
        }
        break;
      case 'record_meeting':
        transition.meeting = {
          unit: unit ?? '',
          date: command.date,
          way: command.way,
          participants: command.participants,
          note: command.note ?? null,
          source: 'unit',
          held: null,
        };
        break;
      case 'confirm_meeting':
        transition.meeting = {
          unit: hostUnit ?? '',
          date: today,
          way: '提案人确认',
          participants: '',
          note: command.note ?? null,
          source: 'member',
          held: command.held,
        };
        break;
      case 'reply':
        transition.reply = {
          round,
          unit: unit ?? '',
          resultClass: command.resultClass,
          text: command.text,
          dueDate: live(assignments).find((a) => a.role === 'host')?.replyDue ?? p.dueDate,
        };
        break;
      case 'approve_reply': {
        const replies = await store.repliesFor([p.id]);
        const pending = replies.filter((r) => r.review === 'pending').at(-1);
        transition.replyReview = { review: 'approved', note: command.note ?? null };
        transition.patch.lastReplyClass = pending?.resultClass ?? null;
        dueDate = addWorkingDays(today, settings.evaluationWorkingDays);
        transition.deadlines = [
          {
            kind: 'evaluation_remind',
            unit: '',
            round,
            dueAt: morningOf(subtractWorkingDays(dueDate, settings.remindWorkingDaysBefore)),
          },
          { kind: 'evaluation_due', unit: '', round, dueAt: morningOf(addWorkingDays(dueDate, 1)) },
          ...(pending && pending.resultClass !== 'A'
            ? [
                {
                  kind: 'follow_up',
                  unit: '',
                  round,
                  dueAt: morningOf(addMonths(today, settings.followUpMonths)),
                },
              ]
            : []),
        ];
        break;
      }
      case 'reject_reply':
        transition.replyReview = { review: 'rejected', note: command.reason };
        break;
      case 'evaluate':
        transition.evaluation = { round, rating: command.rating, comment: command.comment ?? null };
        if (command.rating === '不满意') {
          const due = addMonths(today, settings.replyMonths);
          transition.patch.rehandlingRound = round + 1;
          dueDate = due;
          if (hostUnit !== null) {
            transition.assignmentUpdates = transition.assignmentUpdates.map((u) =>
              u.unit === hostUnit ? { ...u, replyDue: due } : u,
            );
            transition.deadlines = replyDeadlines(hostUnit, due, round + 1);
          }
        }
        break;
      case 'evaluation_timeout':
        transition.evaluation = { round, rating: '视为满意', comment: null };
        break;
      case 'accept':
      case 'award_excellent':
      case 'close':
      case 'co_opinion':
      case 'follow_up':
      case 'progress':
      case 'reject':
      case 'request_return':
      case 'return':
      case 'sign':
      case 'urge':
      case 'withdraw':
        break;
    }
    if (TERMINAL_STATUSES.includes(decision.to) || decision.to === 'not_registered') dueDate = null;
    if (dueDate !== p.dueDate) transition.patch.dueDate = dueDate;

    // Who is told: each person once per transition, the first audience naming them choosing the text.
    const staff = members.filter((m) => m.role === 'staff');
    const changedUnits = decision.assignments.map((a) => a.unit);
    const unitsOf = (a: Audience): string[] => {
      switch (a) {
        case 'host':
          return hostUnit === null ? [] : [hostUnit];
        case 'co':
          return coUnits;
        case 'units':
          return [...(hostUnit === null ? [] : [hostUnit]), ...coUnits];
        case 'changed_units':
          return changedUnits;
        case 'proposer':
        case 'cosigners':
        case 'staff':
          return [];
      }
    };
    const recipients = new Map<string, { audience: Audience; forUnit: string | null; unit: string | null }>();
    const add = (userId: string, audience: Audience, forUnit: string | null, u: string | null) => {
      if (userId === req.actorId || recipients.has(userId)) return;
      recipients.set(userId, { audience, forUnit, unit: u });
    };
    for (const audience of decision.notify) {
      if (audience === 'proposer') add(p.ownerId, audience, null, null);
      else if (audience === 'cosigners') for (const c of cosigners) add(c, audience, null, null);
      else if (audience === 'staff') for (const s of staff) add(s.userId, audience, null, null);
      else
        for (const u of unitsOf(audience)) {
          const own = contacts.get(u) ?? [];
          if (own.length > 0) for (const m of own) add(m.userId, audience, null, u);
          // No contact in WeCom: staff work it on the unit's behalf (代录) and are told instead.
          else for (const s of staff) add(s.userId, audience, u, u);
        }
    }
    const notifications: NewOutboxMessage[] = [];
    const version = p.version + 1;
    for (const [userId, r] of recipients) {
      const text = lifecycleText(command, r.audience, {
        number: p.number,
        title: transition.patch.title ?? p.title,
        to: decision.to,
        actorWords,
        unit: hostUnit,
        dueDate,
        forUnit: r.forUnit,
        mergedIntoNumber,
        reportNumber,
        hostUnit,
        coUnits,
      });
      if (text === null) continue;
      const key = `proposal:${p.id}:v${version}:${userId}${r.forUnit ? `:${r.forUnit}` : ''}`;
      if (command.action === 'approve_reply' && userId === p.ownerId) {
        const pending = (await store.repliesFor([p.id])).filter((x) => x.review === 'pending').at(-1);
        notifications.push({
          dedupKey: key,
          toUser: userId,
          message: {
            msgtype: 'template_card',
            template_card: buildEvaluationCard(p, {
              round,
              unit: pending?.unit ?? hostUnit ?? '',
              resultLabel: pending ? RESULT_CLASS_LABELS[pending.resultClass] : '',
              replyText: pending?.text ?? '',
              dueDate: dueDate ?? '',
              userId,
            }),
          },
        });
        // The card carries no long text: the reply itself follows as text.
        notifications.push({
          dedupKey: `${key}:text`,
          toUser: userId,
          message: { msgtype: 'text', text: { content: text } },
        });
        continue;
      }
      notifications.push({
        dedupKey: key,
        toUser: userId,
        message: { msgtype: 'text', text: { content: text } },
      });
    }
    const changes: Change[] = [
      transition,
      ...alongside,
      ...notifications.map((message): Change => ({ type: 'outbox.add', message, at: now })),
    ];
    return {
      ok: true,
      action: command.action,
      from: decision.from,
      to: decision.to,
      changes,
      notifications,
      ...(reportNumber !== null ? { sentimentNumber: reportNumber } : {}),
    };
  }

  async function act(db: Database, now: Date, req: LifecycleRequest): Promise<ActResult> {
    // A transition decided on a version another one just moved is decided again (it may now be refused).
    for (let attempt = 0; ; attempt++) {
      const planned = await plan(db, now, req);
      if (!planned.ok) return planned;
      try {
        await db.commit(planned.changes);
      } catch (err) {
        if (err instanceof StaleProposalError && attempt < 2) continue;
        throw err;
      }
      const proposal = await view(db, now, req.proposalId);
      if (!proposal) throw new Error(`proposal ${req.proposalId} vanished after a transition`);
      return {
        ok: true,
        action: planned.action,
        from: planned.from,
        to: planned.to,
        proposal,
        notifications: planned.notifications,
        ...(planned.sentimentNumber !== undefined ? { sentimentNumber: planned.sentimentNumber } : {}),
      };
    }
  }

  async function view(db: Database, now: Date, proposalId: number): Promise<ProposalView | null> {
    const store = proposalStore(db);
    const p = await store.get(proposalId);
    if (!p) return null;
    const [assignments, timeline, meetings, replies, evaluations, cosigners, { members, contacts }] =
      await Promise.all([
        store.assignmentsFor([p.id]),
        store.timeline(p.id),
        store.meetingsFor([p.id]),
        store.repliesFor([p.id]),
        store.evaluationsFor([p.id]),
        store.cosigners(p.id),
        contactsByUnit(db),
      ]);
    const today = formatShanghaiDate(now);
    const name = (id: string) => members.find((m) => m.userId === id)?.name ?? id;
    return {
      id: p.id,
      number: p.number,
      year: p.year,
      seq: p.seq,
      title: p.title,
      ownerId: p.ownerId,
      ownerName: name(p.ownerId),
      category: p.category,
      status: p.status,
      statusLabel: PROPOSAL_STATUS_LABELS[p.status],
      nextStep: NEXT_STEP[p.status],
      keyProposal: p.keyProposal,
      excellent: timeline.some((e) => e.kind === 'award_excellent'),
      mergedInto: p.mergedInto,
      rehandlingRound: p.rehandlingRound,
      suggestedUnits: p.handlingUnits,
      assignments: assignments.map((a) => assignmentView(a, contacts)),
      dueDate: p.dueDate,
      overdue: isOverdue(p, today),
      cosigners: cosigners.map((c) => ({ userId: c.userId, name: name(c.userId), status: c.status })),
      meetings: meetings.map(({ proposalId: _id, ...m }) => m),
      replies: replies.map(({ proposalId: _id, dueDate: _due, ...r }) => r),
      evaluations: evaluations.map(({ proposalId: _id, ...e }) => e),
      timeline: timeline.map((e) => ({ ...e, label: timelineLabel(e.kind, e.toStatus) })),
      submittedAt: p.submittedAt,
      updatedAt: p.updatedAt,
    };
  }

  async function listItems(
    db: Database,
    now: Date,
    proposals: readonly Proposal[],
  ): Promise<ProposalListItem[]> {
    const all = await proposalStore(db).assignmentsFor(proposals.map((p) => p.id));
    const today = formatShanghaiDate(now);
    return proposals.map((p) => {
      const mine = live(all.filter((a) => a.proposalId === p.id));
      return {
        id: p.id,
        number: p.number,
        title: p.title,
        ownerId: p.ownerId,
        category: p.category,
        status: p.status,
        statusLabel: PROPOSAL_STATUS_LABELS[p.status],
        keyProposal: p.keyProposal,
        hostUnit: mine.find((a) => a.role === 'host')?.unit ?? null,
        coUnits: mine.filter((a) => a.role === 'co').map((a) => a.unit),
        dueDate: p.dueDate,
        overdue: isOverdue(p, today),
        submittedAt: p.submittedAt,
      };
    });
  }

  const service: LifecycleService = {
    settings,
    plan,
    act,
    view,
    async list(db, now, filter) {
      const page = Math.max(1, filter.page ?? 1);
      const pageSize = Math.min(100, Math.max(1, filter.pageSize ?? 20));
      const proposals = await proposalStore(db).query({
        ...(filter.year !== undefined ? { year: filter.year } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.category !== undefined ? { category: filter.category } : {}),
      });
      let items = await listItems(db, now, proposals);
      if (filter.unit !== undefined) {
        const u = filter.unit;
        items = items.filter((i) => i.hostUnit === u || i.coUnits.includes(u));
      }
      if (filter.overdue !== undefined) items = items.filter((i) => i.overdue === filter.overdue);
      return {
        items: items.slice((page - 1) * pageSize, page * pageSize),
        total: items.length,
        page,
        pageSize,
      };
    },
    async statistics(db, now, year) {
      const store = proposalStore(db);
      const proposals = await store.query({ year });
      const ids = proposals.map((p) => p.id);
      const [assignments, replies, evaluations] = await Promise.all([
        store.assignmentsFor(ids),
        store.repliesFor(ids),
        store.evaluationsFor(ids),
      ]);
      return computeStatistics({
        year,
        today: formatShanghaiDate(now),
        proposals,
        assignments,
        replies,
        evaluations,
      });
    },
    async todo(db, now, userId) {
      const member = await db.members.get(userId);
      if (!member || !member.active) return [];
      const store = proposalStore(db);
      const today = formatShanghaiDate(now);
      const item = (p: Proposal, unit: string | null, what: string, due: string | null): TodoItem => ({
        proposalId: p.id,
        number: p.number,
        title: p.title,
        unit,
        what,
        dueDate: due,
        overdue: due !== null && due < today,
      });
      if (member.role === 'staff' || member.role === 'supervisor') {
        const open = await store.query({
          statuses:
            member.role === 'staff'
              ? ['submitted', 'under_review', 'registered', 'return_requested', 'reply_review']
              : ['reply_review'],
        });
        const words: Partial<Record<ProposalStatus, string>> = {
          submitted: '待审查',
          under_review: '待立案',
          registered: '待交办',
          return_requested: '待审批退回申请',
          reply_review: '待审核答复',
        };
        return open.map((p) => item(p, null, words[p.status] ?? PROPOSAL_STATUS_LABELS[p.status], p.dueDate));
      }
      if (member.role !== 'unit' || !member.unit) return [];
      const u = member.unit;
      const proposals = await store.query({
        statuses: ['assigned', 'in_progress', 'rehandling', 'return_requested'],
      });
      const assignments = await store.assignmentsFor(proposals.map((p) => p.id));
      const meetings = await store.meetingsFor(proposals.map((p) => p.id));
      const out: TodoItem[] = [];
      for (const p of proposals) {
        const a = live(assignments).find((x) => x.proposalId === p.id && x.unit === u);
        if (!a) continue;
        const met = meetings.some((m) => m.proposalId === p.id && m.unit === u && m.source === 'unit');
        if (a.state === 'pending') out.push(item(p, u, `待签收（${UNIT_ROLE_LABELS[a.role]}）`, a.returnBy));
        else if (a.state === 'return_requested') continue;
        else {
          if (!met && p.rehandlingRound === 0) out.push(item(p, u, '待面商', a.meetingDue));
          if (a.role === 'co' && a.state === 'signed') out.push(item(p, u, '待提交会办意见', a.replyDue));
          if (a.role === 'host' && a.state === 'signed')
            out.push(item(p, u, p.status === 'rehandling' ? '待重新答复' : '待答复', a.replyDue));
        }
      }
      return out.sort((x, y) => (x.dueDate ?? '9999').localeCompare(y.dueDate ?? '9999'));
    },
  };
  return service;

  function assignmentView(a: Assignment, contacts: Map<string, Member[]>): AssignmentView {
    return {
      unit: a.unit,
      role: a.role,
      roleLabel: UNIT_ROLE_LABELS[a.role],
      state: a.state,
      stateLabel: ASSIGNMENT_STATE_LABELS[a.state],
      assignedAt: a.assignedAt,
      meetingDue: a.meetingDue,
      returnBy: a.returnBy,
      replyDue: a.replyDue,
      signedAt: a.signedAt,
      contacts: (contacts.get(a.unit) ?? []).map((m) => m.userId),
    };
  }
}

export function isOverdue(p: Pick<Proposal, 'status' | 'dueDate'>, today: string): boolean {
  return p.dueDate !== null && LIVE_STATUSES.includes(p.status) && p.dueDate < today;
}

function timelineLabel(kind: string, to: ProposalStatus): string {
  if (kind === 'submitted') return '提交提案';
  if (kind === 'meeting_check') return '询问提案人面商情况';
  if (kind === 'reminder') return '提醒';
  if (kind in ACTION_LABELS) return ACTION_LABELS[kind as keyof typeof ACTION_LABELS];
  return PROPOSAL_STATUS_LABELS[to];
}

export { ROLE_LABELS };
