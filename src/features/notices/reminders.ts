import type { Logger } from 'pino';
import { createPollLoop } from '../../shared/pollLoop.js';
import type { Clock } from '../../shared/clock.js';
import type { Change, Database } from '../../core/ports.js';
import type { Notice, NoticeReminder } from './ports.js';
import { textBatches } from './broadcastNotice.js';
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

async function planAttendeeReminder(
  db: Database,
  notice: Notice,
  now: Date,
): Promise<{ changes: Change[]; count: number }> {
  const attending = (await noticeStore(db).recipients(notice.id))
    .filter((r) => r.answer === 'attend')
    .map((r) => r.userId);
  return {
    changes: textBatches(`notice:${notice.id}:remind:morning`, attending, texts.remindMorning(notice), now),
    count: attending.length,
  };
}

/** One due reminder: its messages and its done mark land in one commit, so a crash before it redoes it whole. */
export async function runReminder(db: Database, reminder: NoticeReminder, now: Date): Promise<number> {
  const notice = await noticeStore(db).get(reminder.noticeId);
  const planned = !notice
    ? { changes: [], count: 0 }
    : reminder.kind === 'morning'
      ? await planAttendeeReminder(db, notice, now)
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
  /** Called after reminders were queued (wakes the sender). */
  onQueued?: () => void;
}): ReminderPoller {
  const leaseMs = 5 * 60_000;

  async function runOnce(): Promise<number> {
    const due = await noticeStore(opts.db).claimDueReminders(opts.clock.now(), 10, leaseMs);
    let members = 0;
    for (const reminder of due) {
      members += await runReminder(opts.db, reminder, opts.clock.now());
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
