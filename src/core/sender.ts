import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { assertNever, errorMessage } from '../shared/errors.js';
import { createPollLoop } from '../shared/pollLoop.js';
import { startHeartbeat } from '../shared/heartbeat.js';
import type { Channel, DeliveryOutcome } from './channel.js';
import type { DeliveryReport } from './feature.js';
import type { Change, Database, KeyValueStore, OutboxItem } from './ports.js';

export interface SenderOptions {
  db: Database;
  kv: KeyValueStore;
  /** The channels by id; an outbox row is delivered by the channel it names. */
  channels: ReadonlyMap<string, Channel>;
  /** Features' extra changes for a delivered or failed item (e.g. a notice's per-recipient delivery). */
  onDelivery?: (report: DeliveryReport) => Change[];
  clock: Clock;
  logger: Logger;
  pollMs?: number;
  retryBaseMs?: number;
  maxAttempts?: number;
  /** Awaited before each delivery: lets the ack path go first under load (core/ackFirst.ts). */
  beforeItem?: () => Promise<void>;
  /** Items claimed at once (default 20) and recipients sent to side by side (default 4). */
  claimBatch?: number;
  concurrency?: number;
  /** Lease of claimed items, renewed every third of it while the batch is being sent. */
  leaseMs?: number;
  /** The backoff's jitter source, uniform in [0, 1) (default Math.random; a seeded one in tests). */
  random?: () => number;
}

export interface Sender {
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<number>;
  wake(): void;
}

const pauseKey = (channel: string): string => `sender:paused-until:${channel}`;

/**
 * Delivers the outbox: leases due items, hands each to its channel, and records what the channel says — delivered
 * (with per-recipient failures), final failure with its reason, a wait that is no attempt (pacing, a paused
 * channel), or a transient failure retried with exponential backoff until the attempts run out.
 */
export function createSender(opts: SenderOptions): Sender {
  const pollMs = opts.pollMs ?? 250;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const maxAttempts = opts.maxAttempts ?? 8;
  // Claimed items are leased for `leaseMs` and the lease is renewed while the batch is sent (however slow the API),
  // so a sender that dies (SIGKILL) holds its items for at most one lease.
  const claimBatch = opts.claimBatch ?? 20;
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 3000;
  const random = opts.random ?? Math.random;

  async function runOnce(): Promise<number> {
    const now = opts.clock.now();
    const items = await opts.db.outbox.claimDue(now, claimBatch, leaseMs);
    if (items.length === 0) return 0;
    // The lease time is the claim's token (fencing): a renewal only touches items still held under the time this
    // sender set, so once another sender has claimed an item (after this one stalled past its lease) every later
    // renewal of it fails and this sender leaves it alone.
    const held = new Set(items.map((i) => i.id));
    let heldUntil = items[0]!.nextAttemptAt;
    let renewedAt = now.getTime();
    let lost = false;
    let renewing: Promise<boolean> | null = null;
    /** Renews every held item's lease (one renewal at a time); false when it failed or lost an item. */
    const renew = (): Promise<boolean> => {
      renewing ??= (async () => {
        const issuedAt = opts.clock.now().getTime();
        const until = new Date(issuedAt + leaseMs);
        const ids = [...held];
        const renewed = await opts.db.outbox.renewLease(ids, heldUntil, until);
        heldUntil = until;
        renewedAt = issuedAt;
        if (renewed < ids.length) lost = true;
        return !lost;
      })().finally(() => {
        renewing = null;
      });
      return renewing;
    };
    const heartbeat = startHeartbeat(Math.max(50, Math.floor(leaseMs / 3)), async () => {
      await renew();
    });
    /** No renewal is running: the next one sees what changed before this call. */
    const renewalsIdle = async (): Promise<void> => {
      await heartbeat.idle();
      await renewing?.catch(() => undefined);
    };
    /**
     * Sends only under a lease this sender still holds. The heartbeat may be late (a stalled event loop, a slow
     * store): when the last renewal is older than a third of the lease, the items are renewed before the send, and
     * an item another sender claimed meanwhile is not sent a second time from here.
     */
    const stillHeld = async (): Promise<boolean> => {
      if (lost) return false;
      if (opts.clock.now().getTime() - renewedAt <= leaseMs / 3) return true;
      try {
        return await renew();
      } catch (err) {
        opts.logger.warn(
          { err: errorMessage(err) },
          'outbox lease could not be renewed; items left to the lease',
        );
        lost = true;
        return false;
      }
    };
    let sent = 0;
    const sendOne = async (item: OutboxItem): Promise<boolean> => {
      if (!(await stillHeld())) {
        // This process stalled past its lease and another sender may hold these now: leave them to it.
        opts.logger.warn({ outboxId: item.id }, 'outbox lease lost; item left to the next claim');
        return false;
      }
      if (poll.isStopping()) {
        // Shutting down: hand the rest back at once rather than waiting for the lease to end.
        held.delete(item.id);
        await renewalsIdle();
        await wait(item, { until: now, errcode: null, reason: 'shutdown' }, heldUntil);
        return true;
      }
      await opts.beforeItem?.();
      const release = async (): Promise<Date> => {
        // Settling ends the item's lease: no renewal may count it once its outcome is being written. The lease time
        // it was held under fences the reschedule that may follow.
        held.delete(item.id);
        await renewalsIdle();
        return heldUntil;
      };
      const result = await deliver(item, release);
      if (result === 'sent') sent += 1;
      // A member's later messages wait behind one held back (a retry, pacing, a pause): see runLane.
      return result !== 'later' || item.recipients !== undefined;
    };
    // Hands a held-back member's remaining items back now (no attempt counted) rather than at the lease's end; the
    // claim keeps them behind the earlier one, so they go out after it, in order.
    const handBack = async (rest: OutboxItem[]): Promise<void> => {
      if (lost || rest.length === 0) return;
      for (const item of rest) held.delete(item.id);
      await renewalsIdle();
      for (const item of rest)
        await wait(item, { until: now, errcode: null, reason: 'behind an earlier message' }, heldUntil);
    };
    const runLane = async (lane: OutboxItem[]): Promise<void> => {
      for (let item = lane.shift(); item; item = lane.shift())
        if (!(await sendOne(item))) return handBack(lane);
    };
    // One lane per recipient (each member's messages stay in order), lanes sent side by side; batches (notices)
    // share one lane, in order.
    const lanes = new Map<string, OutboxItem[]>();
    for (const item of items) {
      const key = item.recipients ? '\u0000batches' : item.toUser;
      const lane = lanes.get(key);
      if (lane) lane.push(item);
      else lanes.set(key, [item]);
    }
    const waiting = [...lanes.values()];
    try {
      // The first item goes alone: when WeCom answers 45009 or is down, the rest learn it (pause, backoff) before
      // anything else is sent.
      const first = waiting[0]!;
      if (!(await sendOne(first.shift()!))) await handBack(waiting.shift()!);
      else if (first.length === 0) waiting.shift();
      await Promise.all(
        Array.from({ length: Math.min(concurrency, waiting.length) }, async () => {
          for (let lane = waiting.shift(); lane; lane = waiting.shift()) await runLane(lane);
        }),
      );
    } finally {
      await heartbeat.stop();
    }
    return sent;
  }

  /** 'sent': delivered to someone; 'done': settled otherwise (failed for good); 'later': to be tried again. */
  type Settled = 'sent' | 'done' | 'later';

  async function deliver(item: OutboxItem, release: () => Promise<Date>): Promise<Settled> {
    const now = opts.clock.now();
    const channel = opts.channels.get(item.channel);
    if (!channel) {
      const lease = await release();
      await settle(item, { kind: 'failed', errcode: null, reason: `no channel ${item.channel}` }, now, lease);
      return 'done';
    }
    let pausedUntil: number;
    try {
      pausedUntil = Number((await opts.kv.get(pauseKey(channel.id))) ?? 0);
    } catch (err) {
      // Redis is down or hung: whether WeCom asked us to pause is unknown, so wait a little (no attempt); recorded
      // with its reason, so the member's later messages wait behind this one.
      const lease = await release();
      const until = new Date(now.getTime() + retryBaseMs);
      await wait(item, { until, errcode: null, reason: errorMessage(err).slice(0, 500) }, lease);
      return 'later';
    }
    if (pausedUntil > now.getTime()) {
      await wait(item, { until: new Date(pausedUntil), errcode: null, reason: 'paused' }, await release());
      return 'later';
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = await channel.deliver(item, now);
    } catch (err) {
      // A channel that throws (its store, a bug) is treated as transient: the message is not lost.
      outcome = { kind: 'retry', errcode: null, reason: errorMessage(err).slice(0, 500) };
    }
    const lease = await release();
    return settle(item, outcome, now, lease);
  }

  /**
   * Records the outcome; a reschedule or a final failure only takes effect while the row is still held under `lease`
   * (fencing): once another sender took the item over, this one's verdict is not the item's. A delivery is recorded
   * whatever the lease (a message WeCom accepted is sent).
   */
  async function settle(
    item: OutboxItem,
    outcome: DeliveryOutcome,
    now: Date,
    lease: Date,
  ): Promise<Settled> {
    switch (outcome.kind) {
      case 'delivered':
        await finish(item, outcome.delivered, outcome.failed, opts.clock.now(), outcome.msgId, lease);
        return outcome.delivered.length > 0 ? 'sent' : 'done';
      case 'failed': {
        opts.logger.error({ outboxId: item.id, errcode: outcome.errcode }, 'message failed for good');
        await fail(item, outcome.errcode, outcome.reason, now, lease);
        return 'done';
      }
      case 'wait':
        if (outcome.pauseChannel) {
          const ms = outcome.until.getTime() - now.getTime();
          if (ms > 0) await opts.kv.set(pauseKey(item.channel), String(outcome.until.getTime()), ms);
        }
        await wait(item, outcome, lease);
        return 'later';
      case 'retry': {
        const attempts = item.attempts + 1;
        if (attempts >= maxAttempts) {
          opts.logger.error(
            { outboxId: item.id, errcode: outcome.errcode, attempts },
            'message failed for good',
          );
          await fail(item, outcome.errcode, outcome.reason, now, lease);
          return 'done';
        }
        const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 10 * 60_000) * (0.8 + random() * 0.4);
        opts.logger.warn({ outboxId: item.id, errcode: outcome.errcode, attempts }, 'transient send failure');
        await opts.db.outbox.reschedule(item.id, {
          at: new Date(now.getTime() + delay),
          errcode: outcome.errcode,
          reason: outcome.reason,
          countAttempt: true,
          heldUntil: lease,
        });
        return 'later';
      }
      default:
        return assertNever(outcome, 'delivery outcome');
    }
  }

  function wait(
    item: OutboxItem,
    w: { until: Date; errcode: number | null; reason: string },
    lease: Date,
  ): Promise<void> {
    return opts.db.outbox.reschedule(item.id, {
      at: w.until,
      errcode: w.errcode,
      reason: w.reason,
      countAttempt: false,
      heldUntil: lease,
    });
  }

  /**
   * The channel accepted it: delivered to some (sent, unconditionally), or to nobody (failed with the recipients'
   * reason, fenced by `lease` like any final failure).
   */
  async function finish(
    item: OutboxItem,
    delivered: string[],
    failed: { userIds: string[]; error: string }[],
    at: Date,
    msgId: string | null,
    lease: Date,
  ): Promise<void> {
    const reason = failed[0]?.error ?? 'undelivered';
    if (delivered.length === 0) {
      const held = await stillHolding(item, lease);
      if (held === null) return;
      lease = held;
    }
    const changes: Change[] =
      delivered.length > 0
        ? [{ type: 'outbox.sent', id: item.id, sentAt: at, wecomMsgId: msgId }]
        : [{ type: 'outbox.failed', id: item.id, errcode: 0, reason, at, heldUntil: lease }];
    await opts.db.commit([...changes, ...(opts.onDelivery?.({ item, delivered, failed, at }) ?? [])]);
  }

  /**
   * Final failure of the whole message (and, through the features, of each recipient in it); the outbox row only
   * while it is still held under `lease`.
   */
  async function fail(
    item: OutboxItem,
    errcode: number | null,
    reason: string,
    at: Date,
    lease: Date,
  ): Promise<void> {
    // A channel's own reason words stand alone; anything else carries WeCom's errcode.
    const error =
      errcode === null || reason === 'invaliduser' || reason === 'system_busy'
        ? reason
        : `${errcode}: ${reason}`;
    const failed = [{ userIds: item.recipients ?? [item.toUser], error }];
    const held = await stillHolding(item, lease);
    if (held === null) return;
    lease = held;
    await opts.db.commit([
      { type: 'outbox.failed', id: item.id, errcode, reason, at, heldUntil: lease },
      ...(opts.onDelivery?.({ item, delivered: [], failed, at }) ?? []),
    ]);
  }

  /**
   * A final failure also writes the features' per-recipient outcomes (a notice's deliveries), which the outbox row's
   * fence does not cover: so the lease is renewed first, and a sender that lost the item to another (after a stall)
   * writes nothing. Returns the renewed lease time, or null when the item is no longer this sender's.
   */
  async function stillHolding(item: OutboxItem, lease: Date): Promise<Date | null> {
    const until = new Date(opts.clock.now().getTime() + leaseMs);
    if ((await opts.db.outbox.renewLease([item.id], lease, until)) === 1) return until;
    opts.logger.warn(
      { outboxId: item.id },
      'outbox lease lost before a final failure; left to its new holder',
    );
    return null;
  }

  const poll = createPollLoop({ name: 'sender', pollMs, logger: opts.logger, runOnce, againWhenBusy: true });

  return { start: poll.start, stop: poll.stop, runOnce, wake: poll.wake };
}
