import type { Logger } from 'pino';
import type { OutboundMessage } from '../wecom/outbound.js';
import { WecomApiError, WecomTransportError } from '../wecom/errors.js';
import type { Clock } from '../shared/clock.js';
import { sleep } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import type { Database, KeyValueStore, OutboxItem } from './ports.js';

/** The part of the WeCom client the sender needs. */
export interface MessageSender {
  sendMessage(input: {
    touser: string[];
    message: OutboundMessage;
    enableDuplicateCheck?: boolean;
  }): Promise<{ msgId: string | null; invalidUsers: string[]; unlicensedUsers: string[] }>;
}

export interface SenderOptions {
  db: Database;
  kv: KeyValueStore;
  /** null in local mode: messages stay in the local outbox and are marked sent without calling WeCom. */
  api: MessageSender | null;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
  /** WeCom drops (silently) app messages past 30 per member per minute (doc 90312). */
  perUserPerMinute?: number;
  /** Pause after 45009 / 45033 (WeCom blocks a minute-window offender for 60 s). */
  rateLimitPauseMs?: number;
  retryBaseMs?: number;
  maxAttempts?: number;
  /** Longest a WeCom call may take; with the claim batch it bounds how long a claimed item stays leased. */
  apiTimeoutMs?: number;
}

export interface Sender {
  start(): void;
  stop(): Promise<void>;
  runOnce(): Promise<number>;
  wake(): void;
}

const PAUSE_KEY = 'sender:paused-until';
/** errcodes worth another try: system busy, rate limits, IP allow-list not yet configured. */
const TRANSIENT_ERRCODES = new Set([-1, 45009, 45033, 60020]);
const RATE_LIMIT_ERRCODES = new Set([45009, 45033]);

/**
 * Delivers the outbox through message/send: paced per member and globally after a rate-limit answer, retried with
 * exponential backoff when the failure is transient, recorded as failed with its reason when it is final.
 */
export function createSender(opts: SenderOptions): Sender {
  const pollMs = opts.pollMs ?? 250;
  const perUserPerMinute = opts.perUserPerMinute ?? 30;
  const rateLimitPauseMs = opts.rateLimitPauseMs ?? 60_000;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const maxAttempts = opts.maxAttempts ?? 8;
  // A sender that dies holds its claimed items until the lease ends, so keep batches small and leases just long
  // enough for the batch to be sent at the API timeout.
  const claimBatch = 5;
  const leaseMs = claimBatch * ((opts.apiTimeoutMs ?? 10_000) + 2000);
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp = new AbortController();

  async function runOnce(): Promise<number> {
    const now = opts.clock.now();
    const pausedUntil = Number((await opts.kv.get(PAUSE_KEY)) ?? 0);
    if (opts.api && pausedUntil > now.getTime()) return 0;
    const items = await opts.db.outbox.claimDue(now, claimBatch, leaseMs);
    let sent = 0;
    for (const item of items) {
      if (!running && loop !== null) {
        // Shutting down: hand the rest back at once rather than waiting for the lease to end.
        await opts.db.outbox.reschedule(item.id, {
          at: now,
          errcode: null,
          reason: 'shutdown',
          countAttempt: false,
        });
        continue;
      }
      if (await deliver(item)) sent += 1;
    }
    return sent;
  }

  async function deliver(item: OutboxItem): Promise<boolean> {
    const now = opts.clock.now();
    if (!opts.api) {
      await opts.db.outbox.markSent(item.id, { sentAt: now, wecomMsgId: null });
      return true;
    }
    const pausedUntil = Number((await opts.kv.get(PAUSE_KEY)) ?? 0);
    if (pausedUntil > now.getTime()) {
      await opts.db.outbox.reschedule(item.id, {
        at: new Date(pausedUntil),
        errcode: null,
        reason: 'paused',
        countAttempt: false,
      });
      return false;
    }
    const minute = Math.floor(now.getTime() / 60_000);
    const count = await opts.kv.incr(`sender:rate:${item.toUser}:${minute}`, 61_000);
    if (count > perUserPerMinute) {
      const nextMinute = new Date((minute + 1) * 60_000);
      await opts.db.outbox.reschedule(item.id, {
        at: nextMinute,
        errcode: null,
        reason: 'paced',
        countAttempt: false,
      });
      return false;
    }
    try {
      const result = await opts.api.sendMessage({
        touser: [item.toUser],
        message: item.message,
        // Cards carry a unique task_id, so WeCom's duplicate check can only drop a true resend. Plain texts can
        // repeat legitimately (the same help text twice), so they go without it.
        enableDuplicateCheck: item.message.msgtype === 'template_card',
      });
      const lower = item.toUser.toLowerCase();
      if (result.invalidUsers.includes(lower)) {
        await opts.db.outbox.markFailed(item.id, { errcode: 0, reason: 'invaliduser', at: now });
        return false;
      }
      if (result.unlicensedUsers.includes(lower)) {
        await opts.db.outbox.markFailed(item.id, { errcode: 0, reason: 'unlicenseduser', at: now });
        return false;
      }
      await opts.db.outbox.markSent(item.id, { sentAt: opts.clock.now(), wecomMsgId: result.msgId });
      return true;
    } catch (err) {
      await handleFailure(item, err, now);
      return false;
    }
  }

  async function handleFailure(item: OutboxItem, err: unknown, now: Date): Promise<void> {
    const errcode = err instanceof WecomApiError ? err.errcode : null;
    const reason = errorMessage(err).slice(0, 500);
    if (errcode !== null && RATE_LIMIT_ERRCODES.has(errcode)) {
      const until = now.getTime() + rateLimitPauseMs;
      await opts.kv.set(PAUSE_KEY, String(until), rateLimitPauseMs);
      opts.logger.warn({ outboxId: item.id, errcode }, 'WeCom rate limit: pausing the sender');
      // Not a failure of this message: it waits, and nothing is lost however long the storm lasts.
      await opts.db.outbox.reschedule(item.id, { at: new Date(until), errcode, reason, countAttempt: false });
      return;
    }
    const transient =
      err instanceof WecomTransportError || (errcode !== null && TRANSIENT_ERRCODES.has(errcode));
    const attempts = item.attempts + 1;
    if (!transient || attempts >= maxAttempts) {
      opts.logger.error({ outboxId: item.id, errcode, attempts }, 'message failed for good');
      await opts.db.outbox.markFailed(item.id, {
        errcode,
        reason: errcode === 81013 ? 'invaliduser' : reason,
        at: now,
      });
      return;
    }
    const delay = Math.min(retryBaseMs * 2 ** (attempts - 1), 10 * 60_000) * (0.8 + Math.random() * 0.4);
    opts.logger.warn({ outboxId: item.id, errcode, attempts }, 'transient send failure; will retry');
    await opts.db.outbox.reschedule(item.id, {
      at: new Date(now.getTime() + delay),
      errcode,
      reason,
      countAttempt: true,
    });
  }

  async function runLoop(): Promise<void> {
    while (running) {
      let sent = 0;
      try {
        sent = await runOnce();
      } catch (err) {
        opts.logger.error({ err: errorMessage(err) }, 'sender poll failed');
      }
      if (!running) break;
      if (sent === 0) {
        await sleep(pollMs, wakeUp.signal);
        wakeUp = new AbortController();
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      wakeUp.abort();
      await loop;
    },
    runOnce,
    wake() {
      wakeUp.abort();
    },
  };
}
