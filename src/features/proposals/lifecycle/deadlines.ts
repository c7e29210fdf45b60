/**
 * The proposal deadline poller. Deadline work is scheduled in the database by the transitions that set a deadline
 * (交办, 审核通过, 重新办理), claimed with a lease (one instance runs each), and each piece lands with its done mark and
 * its messages in one commit, the messages keyed by the piece: across restarts and instances nothing is sent twice.
 * Work that no longer applies (the unit replied, the proposal moved on) is marked done without a message.
 */
import type { Logger } from 'pino';
import type { Change, Database, Member, NewOutboxMessage } from '../../../core/ports.js';
import type { Clock } from '../../../shared/clock.js';
import { createPollLoop } from '../../../shared/pollLoop.js';
import { buildMeetingCard } from '../domain/lifecycleCards.js';
import { RESULT_CLASS_LABELS } from '../domain/lifecycle.js';
import type { Assignment, DeadlineWork, NewTimelineEvent, Proposal } from '../ports.js';
import { proposalStore } from '../proposalStore.js';
import type { LifecycleService } from './types.js';

const HANDLING = ['in_progress', 'rehandling'] as const;

function text(dedupKey: string, toUser: string, content: string): NewOutboxMessage {
  return { dedupKey, toUser, message: { msgtype: 'text', text: { content } } };
}

/** The unit's contacts, or staff for a unit without one (代录). */
function unitRecipients(unit: string, members: readonly Member[]): { userId: string; forUnit: boolean }[] {
  const own = members.filter((m) => m.role === 'unit' && m.unit === unit);
  if (own.length > 0) return own.map((m) => ({ userId: m.userId, forUnit: false }));
  return members.filter((m) => m.role === 'staff').map((m) => ({ userId: m.userId, forUnit: true }));
}

/** What one piece of deadline work sends now; [] when it no longer applies. */
export async function planDeadline(
  db: Database,
  service: LifecycleService,
  work: DeadlineWork,
  now: Date,
): Promise<Change[]> {
  const store = proposalStore(db);
  const p = await store.get(work.proposalId);
  if (!p) return [];
  const assignments = (await store.assignmentsFor([p.id])).filter((a) => a.state !== 'reassigned');
  const members = (await db.members.list()).filter((m) => m.active);
  const staff = members.filter((m) => m.role === 'staff');
  const mine: Assignment | undefined = assignments.find((a) => a.unit === work.unit);
  const key = (userId: string) => `proposal:${p.id}:deadline:${work.id}:${userId}`;
  const name = `${p.number}《${p.title}》`;
  const messages: NewOutboxMessage[] = [];
  let note: string;

  const toUnit = (content: (forUnit: boolean) => string) => {
    for (const r of unitRecipients(work.unit, members))
      messages.push(text(key(r.userId), r.userId, content(r.forUnit)));
  };
  const proxy = (forUnit: boolean) => (forUnit ? `（${work.unit}暂无企业微信联系人，请代为督促或代录）` : '');

  switch (work.kind) {
    case 'meeting_remind': {
      const met = (await store.meetingsFor([p.id])).some((m) => m.unit === work.unit && m.source === 'unit');
      if (!mine || met || !['assigned', ...HANDLING].includes(p.status)) return [];
      toUnit(
        (f) =>
          `【面商提醒】${name} 请在 ${mine.meetingDue ?? ''} 前与提案人面商办理意见，并发送或录入面商记录${proxy(f)}。`,
      );
      note = `提醒${work.unit}面商`;
      break;
    }
    case 'meeting_check': {
      if (!['assigned', ...HANDLING, 'return_requested', 'reply_review'].includes(p.status)) return [];
      const units = assignments.map((a) => a.unit).join('、');
      messages.push({
        dedupKey: key(p.ownerId),
        toUser: p.ownerId,
        message: {
          msgtype: 'template_card',
          template_card: buildMeetingCard(p, { units, userId: p.ownerId }),
        },
      });
      note = '询问提案人：承办单位是否已与您面商？';
      return commitWith(p, work, messages, note, now, 'meeting_check');
    }
    case 'reply_remind': {
      if (!mine || mine.role !== 'host' || !['pending', 'signed'].includes(mine.state)) return [];
      if (!['assigned', ...HANDLING].includes(p.status)) return [];
      toUnit(
        (f) =>
          `【答复提醒】${name} 的答复期限为 ${mine.replyDue ?? p.dueDate ?? ''}，请抓紧办理并提交答复${proxy(f)}。`,
      );
      note = `提醒${work.unit}答复期限`;
      break;
    }
    case 'reply_overdue': {
      if (!mine || mine.role !== 'host' || !['pending', 'signed'].includes(mine.state)) return [];
      if (!['assigned', ...HANDLING].includes(p.status)) return [];
      for (const s of staff)
        messages.push(
          text(
            key(s.userId),
            s.userId,
            `【逾期】${name} 的答复期限 ${mine.replyDue ?? ''} 已过，主办单位${work.unit}尚未答复，请督办。`,
          ),
        );
      toUnit((f) => `【逾期】${name} 的答复期限 ${mine.replyDue ?? ''} 已过，请尽快提交答复${proxy(f)}。`);
      note = `${work.unit}答复逾期`;
      break;
    }
    case 'evaluation_remind': {
      if (p.status !== 'replied' || p.rehandlingRound !== work.round) return [];
      messages.push(
        text(
          key(p.ownerId),
          p.ownerId,
          `【评价提醒】${name} 已答复，请在 ${p.dueDate ?? ''} 前评价（满意 / 基本满意 / 不满意）。`,
        ),
      );
      note = '提醒提案人评价';
      break;
    }
    case 'evaluation_due': {
      if (p.status !== 'replied' || p.rehandlingRound !== work.round) return [];
      if (service.settings.noEvaluationRule === 'deemed_satisfied') {
        const planned = await service.plan(db, now, {
          proposalId: p.id,
          actorId: 'system',
          command: { action: 'evaluation_timeout' },
        });
        if (!planned.ok) return [];
        return [...planned.changes, { type: 'proposal.deadlineDone', id: work.id, at: now }];
      }
      for (const s of staff)
        messages.push(
          text(
            key(s.userId),
            s.userId,
            `【待跟进】${name} 评价期限 ${p.dueDate ?? ''} 已过，提案人尚未评价，请联系提案人了解意见后办结。`,
          ),
        );
      note = '评价逾期，请工作人员跟进';
      break;
    }
    case 'follow_up': {
      const last = (await store.repliesFor([p.id])).filter((r) => r.review === 'approved').at(-1);
      if (!last || last.resultClass === 'A') return [];
      for (const s of staff)
        messages.push(
          text(
            key(s.userId),
            s.userId,
            `【跟踪问效】${name} 的答复为「${RESULT_CLASS_LABELS[last.resultClass]}」，请了解落实情况（回头看）并记录跟踪问效。`,
          ),
        );
      note = '跟踪问效提醒';
      break;
    }
    default:
      return [];
  }
  return commitWith(p, work, messages, note, now, 'reminder');
}

function commitWith(
  p: Proposal,
  work: DeadlineWork,
  messages: NewOutboxMessage[],
  note: string,
  now: Date,
  kind: 'reminder' | 'meeting_check',
): Change[] {
  if (messages.length === 0) return [];
  const event: NewTimelineEvent = {
    kind,
    actorId: 'system',
    actorRole: 'system',
    unit: work.unit === '' ? null : work.unit,
    onBehalf: false,
    fromStatus: null,
    toStatus: p.status,
    note,
    details: { deadline: work.kind, recipients: messages.length },
  };
  return [
    ...messages.map((message): Change => ({ type: 'outbox.add', message, at: now })),
    { type: 'proposal.event', proposalId: p.id, event, at: now },
  ];
}

export interface DeadlinePoller {
  start(): void;
  stop(): Promise<void>;
  /** One pass: claims due work, runs it; returns how many pieces ran. */
  runOnce(): Promise<number>;
}

export function createDeadlinePoller(opts: {
  db: Database;
  clock: Clock;
  logger: Logger;
  service: LifecycleService;
  pollMs: number;
  onQueued?: () => void;
}): DeadlinePoller {
  const leaseMs = 5 * 60_000;
  async function runOnce(): Promise<number> {
    const due = await proposalStore(opts.db).claimDueDeadlines(opts.clock.now(), 20, leaseMs);
    let sent = 0;
    for (const work of due) {
      const now = opts.clock.now();
      const changes = await planDeadline(opts.db, opts.service, work, now);
      const done = changes.some((c) => c.type === 'proposal.deadlineDone');
      await opts.db.commit(
        done ? changes : [...changes, { type: 'proposal.deadlineDone', id: work.id, at: now }],
      );
      if (changes.some((c) => c.type === 'outbox.add')) sent++;
      opts.logger.info({ proposalId: work.proposalId, kind: work.kind }, 'proposal deadline handled');
    }
    if (sent > 0) opts.onQueued?.();
    return due.length;
  }
  const poll = createPollLoop({
    name: 'proposal-deadlines',
    pollMs: opts.pollMs,
    logger: opts.logger,
    runOnce,
  });
  return { start: poll.start, stop: poll.stop, runOnce };
}
