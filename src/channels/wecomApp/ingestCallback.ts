import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { openCallback, type CallbackCredentials } from '../../wecom/envelope.js';
import { dedupKeyOf, InboundParseError, parseInbound } from '../../wecom/inbound.js';
import { WECOM_APP } from '../../core/actor.js';
import { StoreUnavailableError } from '../../shared/errors.js';
import type { InboxStore } from '../../core/ports.js';

export type IngestOutcome =
  { status: 200; stored: boolean; userId: string } | { status: 503; reason: string };

export interface IngestDeps {
  credentials: CallbackCredentials;
  inbox: InboxStore;
  maxSkewSeconds: number;
  logger: Logger;
  /** How long the ack path may wait for the inbox before answering 503 (WeCom gives up after 5 s). */
  storeDeadlineMs?: number;
  /** Called after a new item is stored, to wake the worker without waiting for its next poll. */
  onStored?: (userId: string) => void;
  /**
   * Called after a 微信客服 notice (kf_msg_or_event) is stored: its messages are to be pulled with its token. Awaited
   * before the 200, so the pull request it records is durable when WeCom hears back.
   */
  onKfNotice?: (notice: { openKfId: string; token: string }) => void | Promise<void>;
}

/**
 * Persist, then acknowledge: verifies and decrypts the callback (throws CallbackRejection → 4xx, nothing stored),
 * stores the ciphertext in the inbox under its dedup key, and only then reports 200. A duplicate is a no-op 200;
 * a store that is down or too slow gives 503 so WeCom delivers it again.
 */
export async function ingestCallback(
  deps: IngestDeps,
  request: { query: Record<string, string | string[] | undefined>; body: string; now: Date },
): Promise<IngestOutcome> {
  const { encrypted, plaintext } = openCallback({
    query: request.query,
    body: request.body,
    credentials: deps.credentials,
    now: request.now,
    maxSkewSeconds: deps.maxSkewSeconds,
  });
  const envelope = describe(plaintext);
  try {
    const result = await withDeadline(
      deps.inbox.add({
        dedupKey: envelope.dedupKey,
        userId: envelope.userId,
        kind: envelope.kind,
        channel: WECOM_APP,
        encrypted,
        receivedAt: request.now,
      }),
      deps.storeDeadlineMs ?? 2500,
    );
    if (result === 'stored') {
      deps.onStored?.(envelope.userId);
      if (envelope.kfNotice) await deps.onKfNotice?.(envelope.kfNotice);
    }
    return { status: 200, stored: result === 'stored', userId: envelope.userId };
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      deps.logger.error({ err: err.message }, 'inbox unavailable; answering 503 so WeCom retries');
      return { status: 503, reason: 'store_unavailable' };
    }
    throw err;
  }
}

/**
 * The inbox key of an authentic plaintext. Authentic content that does not parse is still stored (under a hash
 * of the plaintext) so the worker dead-letters it with a reason instead of WeCom retrying it forever.
 */
function describe(plaintext: string): {
  dedupKey: string;
  userId: string;
  kind: string;
  kfNotice?: { openKfId: string; token: string };
} {
  try {
    const msg = parseInbound(plaintext);
    if (msg.type === 'kf_msg_or_event')
      return {
        dedupKey: dedupKeyOf(msg),
        userId: `kf:${msg.openKfId}`,
        kind: 'event:kf_msg_or_event',
        kfNotice: { openKfId: msg.openKfId, token: msg.token },
      };
    const kind =
      msg.type === 'event'
        ? `event:${msg.event}`
        : msg.type === 'unknown'
          ? `unknown:${msg.msgType}`
          : msg.type;
    return { dedupKey: dedupKeyOf(msg), userId: msg.fromUserName, kind };
  } catch (err) {
    if (!(err instanceof InboundParseError)) throw err;
    return {
      dedupKey: `x:${createHash('sha256').update(plaintext).digest('hex')}`,
      userId: '',
      kind: 'malformed',
    };
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`inbox did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
