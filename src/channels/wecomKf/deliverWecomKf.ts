import type { Logger } from 'pino';
import type { DeliveryOutcome } from '../../core/channel.js';
import type { Database, KeyValueStore, OutboxItem } from '../../core/ports.js';
import { errorMessage } from '../../shared/errors.js';
import {
  KF_DUPLICATE_MSGID_ERRCODE,
  KF_QUOTA_ERRCODE,
  KF_SESSION_ERRCODE,
  KF_WINDOW_ERRCODE,
  type KfApi,
  type KfOutbound,
} from '../../wecom/api/kf.js';
import { isRateLimitWecomError, isTransientWecomError, WecomApiError } from '../../wecom/errors.js';
import { kfMsgidOf } from './kfMsgid.js';
import { kfParts } from './kfParts.js';
import { kfStore } from './kfStore.js';
import { releaseSend, reserveSend, settleSend, takeWelcomeCode } from './kfWindows.js';

export interface WecomKfDeliveryOptions {
  /** null in local mode: the rules are applied, nothing is sent (the outbox is the record). */
  api: KfApi | null;
  db: Database;
  kv: KeyValueStore;
  logger: Logger;
  rateLimitPauseMs?: number;
}

function isDuplicateMsgid(err: unknown): boolean {
  return err instanceof WecomApiError && err.errcode === KF_DUPLICATE_MSGID_ERRCODE;
}

/** Errcodes meaning "WeCom will not let this message reach the citizen": final, the slot stays taken. */
const REFUSALS: readonly number[] = [KF_QUOTA_ERRCODE, KF_WINDOW_ERRCODE, KF_SESSION_ERRCODE];
const PART_DONE_TTL_MS = 3 * 24 * 3600_000;

/**
 * Delivers one outbox item to a citizen through kf/send_msg, within the rule "5 messages within 48 h of the
 * citizen's last message": each part takes a slot before it is sent, and what cannot be sent is failed with the
 * reason (never a 6th or a late message, so never a 95001 / 95002 from WeCom). A fresh welcome code (enter_session)
 * carries the first message through kf/send_msg_on_event instead.
 */
export function createWecomKfDelivery(opts: WecomKfDeliveryOptions) {
  const rateLimitPauseMs = opts.rateLimitPauseMs ?? 60_000;
  const store = kfStore(opts.db);
  /** Items made before this process started may have been sent by the process before it (killed mid-send). */
  const startedAt = new Date();

  return async function deliver(item: OutboxItem, now: Date): Promise<DeliveryOutcome> {
    const citizen = item.toUser;
    const parts = kfParts(item.message);
    if (parts === null)
      return { kind: 'failed', errcode: null, reason: `kf cannot carry ${item.message.msgtype}` };
    const window = await store.latestWindow(citizen);
    if (!window)
      return { kind: 'failed', errcode: KF_WINDOW_ERRCODE, reason: 'kf window closed: no session with us' };
    const key = { openKfid: window.openKfid, externalUserid: citizen };
    let msgId: string | null = null;
    for (const [i, part] of parts.entries()) {
      const doneKey = `kf:part:${item.id}:${i}`;
      // A part WeCom accepted before a retry (a later part failed transiently) is not sent twice.
      if ((await opts.kv.get(doneKey)) !== null) continue;
      // Unique within the 客服账号 (doc 94677: ≤ 32 bytes of [0-9a-zA-Z_-]), the same on a retry of this part.
      const msgid = kfMsgidOf(item, i);
      // Whether this part may have reached WeCom already: an earlier attempt began (its answer lost to a timeout or
      // a crash), or the item predates this process. Only then is a duplicate-msgid answer proof of delivery.
      const tryKey = `kf:part:try:${item.id}:${i}`;
      const triedBefore = (await opts.kv.get(tryKey)) !== null || item.createdAt < startedAt;
      await opts.kv.set(tryKey, '1', PART_DONE_TTL_MS);
      // A fresh welcome code carries one message free of the 5 (and the only one possible before the citizen writes).
      const code = await takeWelcomeCode(store, key, now);
      let taken: Date | null = null;
      try {
        if (code !== null) {
          msgId = opts.api ? (await opts.api.sendMsgOnEvent({ code, msgid, message: part })).msgid : msgid;
        } else {
          const check = await reserveSend(store, key, now);
          if (!check.ok) return refused(item, i, parts.length, check.errcode, check.reason);
          taken = now;
          const started = performance.now();
          msgId = opts.api ? (await send(opts.api, key, msgid, part)).msgid : msgid;
          // Counted from when WeCom answered (the sender's clock plus the call's duration), not when it was taken.
          await settleSend(store, key, taken, new Date(now.getTime() + (performance.now() - started)));
        }
      } catch (err) {
        if (!(triedBefore && isDuplicateMsgid(err))) return failure(item, err, now, key, taken);
        // WeCom has this msgid: the earlier attempt was delivered. The resend is not a new message (its slot is
        // given back) and the part is done.
        opts.logger.info({ outboxId: item.id, part: i }, 'kf part was delivered before (duplicate msgid)');
        if (taken) await releaseSend(store, key, taken);
        msgId = msgid;
      }
      await opts.kv.set(doneKey, '1', PART_DONE_TTL_MS);
    }
    return { kind: 'delivered', msgId, delivered: [citizen], failed: [] };
  };

  function send(
    api: KfApi,
    key: { openKfid: string; externalUserid: string },
    msgid: string,
    part: KfOutbound,
  ) {
    return api.sendMsg({ touser: key.externalUserid, openKfid: key.openKfid, msgid, message: part });
  }

  function refused(
    item: OutboxItem,
    part: number,
    parts: number,
    errcode: number,
    reason: string,
  ): DeliveryOutcome {
    opts.logger.warn({ outboxId: item.id, part, parts, errcode }, 'kf message not sent: outside the window');
    return {
      kind: 'failed',
      errcode,
      reason: part > 0 ? `${reason} (sent ${part} of ${parts} parts)` : reason,
    };
  }

  async function failure(
    item: OutboxItem,
    err: unknown,
    now: Date,
    key: { openKfid: string; externalUserid: string },
    taken: Date | null,
  ): Promise<DeliveryOutcome> {
    const errcode = err instanceof WecomApiError ? err.errcode : null;
    const reason = errorMessage(err).slice(0, 500);
    // WeCom answered with an errcode other than a window refusal: the message was not sent, the slot is free again.
    // A timeout may have been delivered: its slot stays taken.
    if (taken && errcode !== null && !REFUSALS.includes(errcode)) await releaseSend(store, key, taken);
    if (isRateLimitWecomError(err)) {
      opts.logger.warn({ errcode }, 'WeCom rate limit on kf: pausing the channel');
      return {
        kind: 'wait',
        until: new Date(now.getTime() + rateLimitPauseMs),
        errcode,
        reason,
        pauseChannel: true,
      };
    }
    if (isTransientWecomError(err)) return { kind: 'retry', errcode, reason };
    opts.logger.error({ outboxId: item.id, errcode }, 'kf message refused');
    return { kind: 'failed', errcode, reason };
  }
}
