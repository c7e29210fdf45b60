import type { Logger } from 'pino';
import { createPollLoop } from '../../shared/pollLoop.js';
import type { Clock } from '../../shared/clock.js';
import type { Change, Database } from '../../core/ports.js';
import type { Notice, NoticeReminder } from './ports.js';
import { MAX_RECIPIENTS_PER_SEND } from '../../wecom/limits.js';
import { textBatches } from './broadcastNotice.js';
import { buildCheckinCard } from './domain/index.js';
import { noticeTexts as texts } from './texts.js';
import { noticeStore } from './noticeStore.js';

/**
 * Reminds the members who have not answered (scheduled, or asked for by staff). `key` names this reminder: the
 * same key queues nothing twice.
 */
export async function planNonResponderReminder(
  db: Database,
  notice: Notice,
  key: string,
  now: Date,
  /** A fixed outbox label (see staffReminderLabel) by which the reminder can be found later. */
  label?: string,
): Promise<{ changes: Change[]; count: number }> {
  const silent = (await noticeStore(db).recipients(notice.id))
    .filter((r) => r.answer === null && r.delivery !== 'failed')
    .map((r) => r.userId);
  return {
    changes: textBatches(
      `notice:${notice.id}:remind:${key}`,
      silent,
      texts.remindNonResponder(notice),
      now,
      label,
    ),
    count: silent.length,
  };
}

/**
 * The outbox label of the reminders staff send from chat for a notice: every one carries it (instead of a label
 * per reminder), so the last one is found without a table of its own.
 */
export function staffReminderLabel(noticeId: number): string {
  return `notice:${noticeId}:remind:staff`;
}

/** When staff last reminded a notice's non-responders from chat; null when never. */
export async function lastStaffReminder(db: Database, noticeId: number): Promise<Date | null> {
  const items = await db.outbox.listForUser(`@${staffReminderLabel(noticeId)}:0`, 0, 1000);
  return items.reduce<Date | null>((t, i) => (t === null || i.createdAt > t ? i.createdAt : t), null);
}

/**
 * The meeting morning, to those who answered 参加: the reminder as a card with a 签到 button (a tap records the
 * 出席; see the duties feature), batched like the notice card, each batch with its own task_id.
 */
async function planAttendeeReminder(
  db: Database,
  notice: Notice,
  now: Date,
  source: string,
): Promise<{ changes: Change[]; count: number }> {
  const attending = (await noticeStore(db).recipients(notice.id))
    .filter((r) => r.answer === 'attend')
    .map((r) => r.userId);
  const changes: Change[] = [];
  for (let i = 0; i * MAX_RECIPIENTS_PER_SEND < attending.length; i++) {
    const key = `notice:${notice.id}:remind:morning`;
    changes.push({
      type: 'outbox.add',
      at: now,
      message: {
        dedupKey: `${key}:${i}`,
        toUser: `@${key}:${i}`,
        recipients: attending.slice(i * MAX_RECIPIENTS_PER_SEND, (i + 1) * MAX_RECIPIENTS_PER_SEND),
        message: {
          msgtype: 'template_card',
          template_card: buildCheckinCard(notice, {
            taskId: `notice_${notice.id}_checkin_${i}`,
            source,
            text: texts.remindMorning(notice),
          }),
        },
      },
    });
  }
  return { changes, count: attending.length };
}

/** One due reminder: its messages and its done mark land in one commit, so a crash before it redoes it whole. */
export async function runReminder(
  db: Database,
  reminder: NoticeReminder,
  now: Date,
  /** The card's source line. */
  source = '县政协',
): Promise<number> {
  const notice = await noticeStore(db).get(reminder.noticeId);
  const planned = !notice
    ? { changes: [], count: 0 }
    : reminder.kind === 'morning'
      ? await planAttendeeReminder(db, notice, now, source)
      : await planNonResponderReminder(db, notice, 'scheduled', now);
  await db.commit([...planned.changes, { type: 'notice.reminderDone', id: reminder.id, at: now }]);
  return planned.count;
}

export interface ReminderPoller {
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<number>;
}

/**
 * In-process poller for due reminders. Reminders live in the database (they survive restarts) and are leased
 * when claimed, so with several instances each one runs once; the outbox dedup keys make a re-run harmless.
 */
export function createReminderPoller(opts: {
  db: Database;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  /** The source line of the 签到 card (as on the notice card). */
  source?: string;
  /** Called after reminders were queued (wakes the sender). */
  onQueued?: () => void;
}): ReminderPoller {
  const leaseMs = 5 * 60_000;

  async function runOnce(): Promise<number> {
    const due = await noticeStore(opts.db).claimDueReminders(opts.clock.now(), 10, leaseMs);
    let members = 0;
    for (const reminder of due) {
      members += await runReminder(opts.db, reminder, opts.clock.now(), opts.source);
      opts.logger.info({ noticeId: reminder.noticeId, kind: reminder.kind }, 'notice reminder queued');
    }
    if (due.length > 0) opts.onQueued?.();
    return members;
  }

  const poll = createPollLoop({
    name: 'reminder',
    pollMs: opts.pollMs,
    logger: opts.logger,
    runOnce,
  });

  return {
    start: poll.start,
    stop: poll.stop,
    runOnce,
  };
}
