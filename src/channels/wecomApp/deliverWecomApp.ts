import type { Logger } from 'pino';
import type { DeliveryOutcome } from '../../core/channel.js';
import type { KeyValueStore, OutboxItem } from '../../core/ports.js';
import { shanghaiDay } from '../../shared/chinaTime.js';
import { errorMessage } from '../../shared/errors.js';
import {
  isRateLimitWecomError,
  isTransientWecomError,
  WecomApiError,
  WecomTransportError,
} from '../../wecom/errors.js';
import type { OutboundMessage } from '../../wecom/outbound.js';
import { cleanText } from '../../shared/text.js';

/** The part of the WeCom client the app channel needs. */
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

export interface WecomAppDeliveryOptions {
  /** null in local mode: messages stay in the local outbox and count as delivered without calling WeCom. */
  api: MessageSender | null;
  kv: KeyValueStore;
  logger: Logger;
  /** WeCom drops (silently) app messages past 30 per member per minute (doc 90312). */
  perUserPerMinute?: number;
  /** Pause after 45009 / 45033 (WeCom blocks a minute-window offender for 60 s). */
  rateLimitPauseMs?: number;
  /** WeCom blocks an hour-window offender for 60 minutes (doc 90454); a 45009 that outlives the minute waits this. */
  rateLimitHourPauseMs?: number;
}

/**
 * A 45009 block WeCom holds on the app, shared by every process: when it began, how long it is believed to last
 * (0 minute, 1 hour, 2 the natural day) and when that belief ends.
 */
interface QuotaBlock {
  since: number;
  level: 0 | 1 | 2;
  until: number;
}
const QUOTA_BLOCK_KEY = 'wecom-app:quota-block';
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function parseBlock(raw: string | null): QuotaBlock | null {
  if (raw === null) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return null;
    const since = Reflect.get(v, 'since');
    const level = Reflect.get(v, 'level');
    const until = Reflect.get(v, 'until');
    if (typeof since !== 'number' || typeof until !== 'number' || (level !== 0 && level !== 1 && level !== 2))
      return null;
    return { since, level, until };
  } catch {
    return null;
  }
}

/** Retries of a send WeCom answered -1 (系统繁忙) or an HTTP 5xx: WeCom advises no more than three. */
const SYSTEM_BUSY_RETRIES = 3;

/** Who a message goes to: the batch, or the one member. */
function recipientsOf(item: OutboxItem): string[] {
  return item.recipients ?? [item.toUser];
}

/**
 * Delivers one outbox item through message/send (or updates the tapped card): paced per member, classified on
 * failure — a rate limit pauses the channel, a transient error is retried, anything else is final with its reason.
 */
export function createWecomAppDelivery(opts: WecomAppDeliveryOptions) {
  const perUserPerMinute = opts.perUserPerMinute ?? 30;
  const rateLimitPauseMs = opts.rateLimitPauseMs ?? 60_000;
  const rateLimitHourPauseMs = opts.rateLimitHourPauseMs ?? 3_600_000;
  /** This process set or saw a quota block whose end a successful send should record. */
  let blockSeen = false;

  return async function deliver(item: OutboxItem, now: Date): Promise<DeliveryOutcome> {
    if (!opts.api) return { kind: 'delivered', msgId: null, delivered: recipientsOf(item), failed: [] };
    // A batch is one card per member (a notice), far below the per-member limit, and counting it against 1000
    // members' counters would cost 1000 round trips; per-member pacing is for conversations.
    if (item.recipients === undefined) {
      const minute = Math.floor(now.getTime() / 60_000);
      const count = await opts.kv.incr(`sender:rate:${item.toUser}:${minute}`, 61_000);
      if (count > perUserPerMinute)
        return { kind: 'wait', until: new Date((minute + 1) * 60_000), errcode: null, reason: 'paced' };
    }
    try {
      if (item.cardUpdate && (await updateCard(opts.api, item)))
        return { kind: 'delivered', msgId: null, delivered: [item.toUser], failed: [] };
      const result = await opts.api.sendMessage({
        touser: recipientsOf(item),
        // A choice menu is for channels that can show one; the text already lists the options. Control characters
        // and lone surrogates (text stored before it was cleaned on the way in) would make WeCom refuse it: 40033.
        message:
          item.message.msgtype === 'text'
            ? { msgtype: 'text', text: { content: cleanText(item.message.text.content) } }
            : item.message,
        // Cards carry a unique task_id, so WeCom's duplicate check can only drop a true resend (a batch re-sent
        // after a crash or a delivered-but-timed-out call). Texts go without it: the same text can legitimately go
        // to the same members twice (a help text; a reminder staff ask for again), and WeCom would drop it.
        enableDuplicateCheck: item.message.msgtype === 'template_card',
      });
      // An item held back by a block (or this process's own block) ends it; other sends cost no look-up.
      if (blockSeen || item.lastErrcode === 45009 || item.lastError === 'paused') await endBlock(now);
      return accepted(item, result);
    } catch (err) {
      if (err instanceof WecomApiError && err.errcode === 45009) return quotaBlocked(err, now);
      return classify(err, item, now);
    }
  };

  /**
   * The member's tapped card shows their choice (update_template_card with the tap's response code). A code WeCom
   * refuses (used, older than 72 h) leaves the card as it was: false, and the caller sends the text instead.
   * Transient failures propagate and are retried.
   */
  async function updateCard(api: MessageSender, item: OutboxItem): Promise<boolean> {
    if (!item.cardUpdate) return false;
    try {
      await api.updateTemplateCard({
        userids: [item.toUser],
        responseCode: item.cardUpdate.responseCode,
        button: { replace_name: item.cardUpdate.replaceName },
      });
      return true;
    } catch (err) {
      if (isTransientWecomError(err) || isRateLimitWecomError(err)) throw err;
      opts.logger.info(
        { outboxId: item.id, errcode: err instanceof WecomApiError ? err.errcode : null },
        'card not updatable; sending the text instead',
      );
      return false;
    }
  }

  /**
   * WeCom blocks a 45009 offender for 60 s, 60 min or the natural day (doc 90454) and does not say which. Retrying
   * at once is pointless, so the channel pauses for the shortest window, then one call probes. A probe refused again
   * proves the block is longer: the pause grows to the hour (from the block's start), then to the next natural day
   * in China time. So there is at most one call per window, and nothing waits longer than the block it is in.
   */
  async function quotaBlocked(err: WecomApiError, now: Date): Promise<DeliveryOutcome> {
    const t = now.getTime();
    const prev = parseBlock(await opts.kv.get(QUOTA_BLOCK_KEY));
    let block: QuotaBlock;
    if (prev && t < prev.until)
      block = prev; // another process's call inside the same window
    else if (prev && t - prev.until < rateLimitPauseMs) {
      // The first call after the window ended was refused: the block is longer than that window.
      const level = prev.level === 0 ? 1 : 2;
      const until =
        level === 1 ? prev.since + rateLimitHourPauseMs : (shanghaiDay(t) + 1) * DAY_MS - SHANGHAI_OFFSET_MS;
      block = { since: prev.since, level, until: Math.max(until, t + rateLimitPauseMs) };
    } else block = { since: t, level: 0, until: t + rateLimitPauseMs };
    await opts.kv.set(QUOTA_BLOCK_KEY, JSON.stringify(block), block.until - t + rateLimitPauseMs);
    blockSeen = true;
    opts.logger.warn(
      { errcode: err.errcode, window: ['minute', 'hour', 'day'][block.level], until: new Date(block.until) },
      'WeCom quota block (45009): pausing the channel',
    );
    return {
      kind: 'wait',
      until: new Date(block.until),
      errcode: err.errcode,
      reason: errorMessage(err).slice(0, 500),
      pauseChannel: true,
    };
  }

  /** A send went through: the block is over, and the next 45009 starts again from the minute. */
  async function endBlock(now: Date): Promise<void> {
    const block = parseBlock(await opts.kv.get(QUOTA_BLOCK_KEY));
    if (block === null || now.getTime() >= block.until) {
      if (block) await opts.kv.del(QUOTA_BLOCK_KEY);
      blockSeen = false;
    }
  }

  function classify(err: unknown, item: OutboxItem, now: Date): DeliveryOutcome {
    const errcode = err instanceof WecomApiError ? err.errcode : null;
    const reason = errorMessage(err).slice(0, 500);
    // WeCom busy (-1, "建议重试次数不超过3次") or its servers failing (5xx): three retries, then final.
    const busy =
      errcode === -1 ||
      (err instanceof WecomTransportError && err.kind === 'http' && (err.status ?? 0) >= 500);
    if (busy && item.attempts >= SYSTEM_BUSY_RETRIES) {
      opts.logger.warn(
        { outboxId: item.id, errcode, attempts: item.attempts },
        'WeCom busy: retries exhausted',
      );
      return { kind: 'failed', errcode, reason: 'system_busy' };
    }
    if (isRateLimitWecomError(err)) {
      opts.logger.warn({ errcode }, 'WeCom rate limit: pausing the channel');
      // Not a failure of this message: it waits, and nothing is lost however long the storm lasts.
      return {
        kind: 'wait',
        until: new Date(now.getTime() + rateLimitPauseMs),
        errcode,
        reason,
        pauseChannel: true,
      };
    }
    if (isTransientWecomError(err)) return { kind: 'retry', errcode, reason };
    // 81013: every recipient is unknown to WeCom.
    if (errcode === 81013) return { kind: 'failed', errcode, reason: 'invaliduser' };
    return { kind: 'failed', errcode, reason };
  }

  /** WeCom accepted the send: recipients it named invalid or unlicensed failed with that reason, the rest arrived. */
  function accepted(
    item: OutboxItem,
    result: { msgId: string | null; invalidUsers: string[]; unlicensedUsers: string[] },
  ): DeliveryOutcome {
    const invalid = new Set(result.invalidUsers.map((u) => u.toLowerCase()));
    const unlicensed = new Set(result.unlicensedUsers.map((u) => u.toLowerCase()));
    const all = recipientsOf(item);
    const invalidUsers = all.filter((u) => invalid.has(u.toLowerCase()));
    const unlicensedUsers = all.filter(
      (u) => !invalid.has(u.toLowerCase()) && unlicensed.has(u.toLowerCase()),
    );
    const delivered = all.filter((u) => !invalid.has(u.toLowerCase()) && !unlicensed.has(u.toLowerCase()));
    if (invalidUsers.length + unlicensedUsers.length > 0)
      opts.logger.warn(
        { outboxId: item.id, invalid: invalidUsers.length, unlicensed: unlicensedUsers.length },
        'WeCom did not deliver to some recipients',
      );
    return {
      kind: 'delivered',
      msgId: result.msgId,
      delivered,
      failed: [
        { userIds: invalidUsers, error: 'invaliduser' },
        { userIds: unlicensedUsers, error: 'unlicenseduser' },
      ].filter((f) => f.userIds.length > 0),
    };
  }
}
