import type { Logger } from 'pino';
import { createPollLoop } from '../shared/pollLoop.js';
import type { OutboundMessage } from '../wecom/outbound.js';
import { WecomApiError, WecomTransportError } from '../wecom/errors.js';
import type { Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import type { Change, Database, KeyValueStore, OutboxItem } from './ports.js';

/** The part of the WeCom client the sender needs. */
export interface MessageSender {
  sendMessage(input: {
    touser: string[];
    message: OutboundMessage;
    enableDuplicateCheck?: boolean;
  }): Promise<{ msgId: string | null; invalidUsers: string[]; unlicensedUsers: string[] }>;
  updateTemplateCard(input: {
    userids: string[];
    responseCode: string;
    button: { replace_name: string };
  }): Promise<void>;
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

/** Who a message goes to: the batch, or the one member. */
function recipientsOf(item: OutboxItem): string[] {
  return item.recipients ?? [item.toUser];
}

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

  async function runOnce(): Promise<number> {
    const now = opts.clock.now();
    const pausedUntil = Number((await opts.kv.get(PAUSE_KEY)) ?? 0);
    if (opts.api && pausedUntil > now.getTime()) return 0;
    const items = await opts.db.outbox.claimDue(now, claimBatch, leaseMs);
    let sent = 0;
    for (const item of items) {
      if (poll.isStopping()) {
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
      await complete(item, { msgId: null, invalidUsers: [], unlicensedUsers: [] }, now);
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
    // A batch is one card per member (a notice), far below the per-member limit, and counting it against 1000
    // members' counters would cost 1000 round trips; per-member pacing is for conversations.
    if (item.recipients === undefined) {
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
    }
    if (item.cardUpdate) {
      const updated = await updateCard(item, now);
      if (updated !== 'fallback') return updated;
    }
    try {
      const result = await opts.api.sendMessage({
        touser: recipientsOf(item),
        message: item.message,
        // Cards carry a unique task_id, so WeCom's duplicate check can only drop a true resend (a batch re-sent
        // after a crash or a delivered-but-timed-out call). Texts go without it: the same text can legitimately go
        // to the same members twice (a help text; a reminder staff ask for again), and WeCom would drop it.
        enableDuplicateCheck: item.message.msgtype === 'template_card',
      });
      return await complete(item, result, opts.clock.now());
    } catch (err) {
      await handleFailure(item, err, now);
      return false;
    }
  }

  /**
   * The member's tapped card shows their choice (message/update_template_card with the tap's response code). A
   * code WeCom refuses (used, older than 72 h) leaves the card as it was: the caller sends the text instead.
   */
  async function updateCard(item: OutboxItem, now: Date): Promise<boolean | 'fallback'> {
    if (!opts.api || !item.cardUpdate) return 'fallback';
    try {
      await opts.api.updateTemplateCard({
        userids: [item.toUser],
        responseCode: item.cardUpdate.responseCode,
        button: { replace_name: item.cardUpdate.replaceName },
      });
      await opts.db.commit([
        { type: 'outbox.sent', id: item.id, sentAt: opts.clock.now(), wecomMsgId: null },
      ]);
      return true;
    } catch (err) {
      if (isRetryable(err)) {
        await handleFailure(item, err, now);
        return false;
      }
      opts.logger.info(
        { outboxId: item.id, errcode: err instanceof WecomApiError ? err.errcode : null },
        'card not updatable; sending the text instead',
      );
      return 'fallback';
    }
  }

  /**
   * Records a send WeCom accepted: recipients it named invalid or unlicensed failed with that reason, the rest
   * delivered; for a notice batch, per recipient, in the same commit as the outbox row.
   */
  async function complete(
    item: OutboxItem,
    result: { msgId: string | null; invalidUsers: string[]; unlicensedUsers: string[] },
    at: Date,
  ): Promise<boolean> {
    const invalid = new Set(result.invalidUsers.map((u) => u.toLowerCase()));
    const unlicensed = new Set(result.unlicensedUsers.map((u) => u.toLowerCase()));
    const all = recipientsOf(item);
    const invalidUsers = all.filter((u) => invalid.has(u.toLowerCase()));
    const unlicensedUsers = all.filter(
      (u) => !invalid.has(u.toLowerCase()) && unlicensed.has(u.toLowerCase()),
    );
    const delivered = all.filter((u) => !invalid.has(u.toLowerCase()) && !unlicensed.has(u.toLowerCase()));
    const changes: Change[] = [];
    if (delivered.length > 0) {
      changes.push({ type: 'outbox.sent', id: item.id, sentAt: at, wecomMsgId: result.msgId });
    } else {
      const reason = invalidUsers.length > 0 ? 'invaliduser' : 'unlicenseduser';
      changes.push({ type: 'outbox.failed', id: item.id, errcode: 0, reason, at });
    }
    if (item.noticeId !== undefined) {
      const noticeId = item.noticeId;
      const record = (userIds: string[], delivery: 'sent' | 'failed', error: string | null): void => {
        if (userIds.length > 0)
          changes.push({ type: 'notice.delivery', noticeId, userIds, delivery, error, at });
      };
      record(delivered, 'sent', null);
      record(invalidUsers, 'failed', 'invaliduser');
      record(unlicensedUsers, 'failed', 'unlicenseduser');
    }
    if (invalidUsers.length + unlicensedUsers.length > 0)
      opts.logger.warn(
        { outboxId: item.id, invalid: invalidUsers.length, unlicensed: unlicensedUsers.length },
        'WeCom did not deliver to some recipients',
      );
    await opts.db.commit(changes);
    return delivered.length > 0;
  }

  /** Final failure of the whole message (and, for a notice batch, of each recipient in it). */
  async function fail(item: OutboxItem, errcode: number | null, reason: string, at: Date): Promise<void> {
    const changes: Change[] = [{ type: 'outbox.failed', id: item.id, errcode, reason, at }];
    if (item.noticeId !== undefined)
      changes.push({
        type: 'notice.delivery',
        noticeId: item.noticeId,
        userIds: recipientsOf(item),
        delivery: 'failed',
        error:
          errcode === null || reason === 'invaliduser'
            ? reason.slice(0, 255)
            : `${errcode}: ${reason}`.slice(0, 255),
        at,
      });
    await opts.db.commit(changes);
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
    const transient = isRetryable(err);
    const attempts = item.attempts + 1;
    if (!transient || attempts >= maxAttempts) {
      opts.logger.error({ outboxId: item.id, errcode, attempts }, 'message failed for good');
      // 81013: every recipient is unknown to WeCom.
      if (errcode === 81013) await fail(item, errcode, 'invaliduser', now);
      else await fail(item, errcode, reason, now);
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

  function isRetryable(err: unknown): boolean {
    if (err instanceof WecomTransportError) return true;
    return err instanceof WecomApiError && TRANSIENT_ERRCODES.has(err.errcode);
  }

  const poll = createPollLoop({
    name: 'sender',
    pollMs,
    logger: opts.logger,
    runOnce,
    againWhenBusy: true,
  });

  return {
    start: poll.start,
    stop: poll.stop,
    runOnce,
    wake: poll.wake,
  };
}
