import type { Logger } from 'pino';
import { createPollLoop } from '../shared/pollLoop.js';
import { UndecodableMessage, type Channel } from './channel.js';
import type { Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import { startHeartbeat } from '../shared/heartbeat.js';
import type { InboundHandler } from './handleInbound.js';
import type { Change, Database, InboxItem, Lock } from './ports.js';
import { texts } from './texts.js';

export interface WorkerOptions {
  db: Database;
  lock: Lock;
  handle: InboundHandler;
  clock: Clock;
  logger: Logger;
  /** The channels by id: each inbox item is opened by the channel that stored it. */
  channels: ReadonlyMap<string, Channel>;
  officeContact: string;
  pollMs?: number;
  /** TTL of the per-user lock, renewed every third of it while the user's messages are processed. */
  leaseMs?: number;
  /** Users processed at the same time (each one still strictly in order). */
  concurrency?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Awaited before each item: lets the ack path go first under load (core/ackFirst.ts). */
  beforeItem?: () => Promise<void>;
  /** Called after an item's changes are committed (wakes the sender). */
  onProcessed?: () => void;
}

export interface Worker {
  start(): void;
  /** Stops claiming, lets in-flight items finish. */
  stop(): Promise<void>;
  /** Processes what is due now, once (used by start's loop and by tests). */
  runOnce(): Promise<number>;
  wake(): void;
}

/**
 * Processes the inbox: one user's messages one at a time and in arrival order (a lock per user, held in Redis
 * when several processes run), each item done only when its effects are committed together with its `done` mark.
 * A crash before the commit leaves the item pending, so it is processed again; handlers are idempotent. The lock
 * is short and renewed while the user's messages are processed, so a process that dies (SIGKILL) frees its users
 * within one lease and another process, or the restarted one, carries on.
 */
export function createWorker(opts: WorkerOptions): Worker {
  const pollMs = opts.pollMs ?? 250;
  const concurrency = opts.concurrency ?? 4;
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryBaseMs = opts.retryBaseMs ?? 2000;
  const leaseMs = opts.leaseMs ?? 3000;

  async function runOnce(): Promise<number> {
    const users = await opts.db.inbox.pendingUsers(opts.clock.now(), 50);
    let processed = 0;
    for (let i = 0; i < users.length; i += concurrency) {
      const counts = await Promise.all(users.slice(i, i + concurrency).map((u) => drainUser(u)));
      processed += counts.reduce((a, b) => a + b, 0);
    }
    return processed;
  }

  async function drainUser(userId: string): Promise<number> {
    const key = `lock:conversation:${userId}`;
    const token = await opts.lock.acquire(key, leaseMs);
    if (!token) return 0; // another worker has this user right now
    let lost = false;
    const heartbeat = startHeartbeat(Math.max(50, Math.floor(leaseMs / 3)), async () => {
      if (!(await opts.lock.extend(key, token, leaseMs))) lost = true;
    });
    let count = 0;
    try {
      // A lost lock (this process stalled past its lease and another took the user) ends the drain after the item
      // in flight: the other process now owns the user's order.
      while (!poll.isStopping() && !lost) {
        await opts.beforeItem?.();
        const item = await opts.db.inbox.nextForUser(userId);
        if (!item || item.nextAttemptAt > opts.clock.now()) break;
        await processItem(item);
        count += 1;
      }
    } finally {
      await heartbeat.stop();
      if (lost) opts.logger.warn('conversation lock lost while processing');
      else await opts.lock.release(key, token).catch(() => undefined);
    }
    return count;
  }

  async function processItem(item: InboxItem): Promise<void> {
    const now = opts.clock.now();
    let changes: Change[];
    try {
      const channel = opts.channels.get(item.channel);
      if (!channel) throw new UndecodableMessage(`no channel ${item.channel}`);
      const msg = channel.decode(item);
      changes = await opts.handle({ ...msg, channel }, { inboxId: item.id, now });
    } catch (err) {
      if (err instanceof UndecodableMessage) {
        // Authentic but unreadable: kept with its reason for an operator, never retried (an alert, not a loop).
        opts.logger.error(
          { inboxId: item.id, reason: err.message, alert: 'dead_letter' },
          'dead-lettered: inner message does not parse',
        );
        await opts.db.commit([{ type: 'inbox.dead', id: item.id, reason: err.message, at: now }]);
        return;
      }
      await recordFailure(item, err, now);
      return;
    }
    try {
      await opts.db.commit([...changes, { type: 'inbox.done', id: item.id, at: now }]);
      opts.onProcessed?.();
    } catch (err) {
      await recordFailure(item, err, now);
    }
  }

  async function recordFailure(item: InboxItem, err: unknown, now: Date): Promise<void> {
    const attempts = item.attempts + 1;
    const error = errorMessage(err).slice(0, 500);
    opts.logger.error({ inboxId: item.id, attempts, err: error }, 'inbox item failed');
    try {
      if (attempts < maxAttempts) {
        const retryAt = new Date(now.getTime() + retryBaseMs * 2 ** (attempts - 1));
        await opts.db.inbox.recordFailure(item.id, { error, retryAt });
        return;
      }
      // Out of attempts: dead-letter it, and tell the member rather than leave them waiting in silence.
      const apology: Change[] = item.userId
        ? [
            {
              type: 'outbox.add',
              at: now,
              message: {
                dedupKey: `dead:${item.id}`,
                toUser: item.userId,
                channel: item.channel,
                message: { msgtype: 'text', text: { content: texts.processingFailed(opts.officeContact) } },
              },
            },
          ]
        : [];
      await opts.db.commit([...apology, { type: 'inbox.dead', id: item.id, reason: error, at: now }]);
      opts.logger.error(
        { inboxId: item.id, attempts, alert: 'dead_letter' },
        'dead-lettered: out of attempts',
      );
    } catch (storeErr) {
      // The store is down: the item stays pending and is picked up again when it answers.
      opts.logger.error({ inboxId: item.id, err: errorMessage(storeErr) }, 'could not record the failure');
    }
  }

  const poll = createPollLoop({
    name: 'worker',
    pollMs,
    logger: opts.logger,
    runOnce,
  });

  return {
    start: poll.start,
    stop: poll.stop,
    runOnce,
    wake: poll.wake,
  };
}
