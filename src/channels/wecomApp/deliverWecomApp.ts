import type { Logger } from 'pino';
import type { DeliveryOutcome } from '../../core/channel.js';
import type { KeyValueStore, OutboxItem } from '../../core/ports.js';
import { errorMessage } from '../../shared/errors.js';
import { isRateLimitWecomError, isTransientWecomError, WecomApiError } from '../../wecom/errors.js';
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
}

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
      return accepted(item, result);
    } catch (err) {
      return classify(err, now);
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

  function classify(err: unknown, now: Date): DeliveryOutcome {
    const errcode = err instanceof WecomApiError ? err.errcode : null;
    const reason = errorMessage(err).slice(0, 500);
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
