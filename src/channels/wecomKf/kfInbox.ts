import type { Database, InboxEnvelope } from '../../core/ports.js';
import { WECOM_KF } from '../../core/actor.js';
import { encryptMessage } from '../../wecom/crypto.js';
import type { KfSyncedMessage } from '../../wecom/api/kf.js';
import { kfStore } from './kfStore.js';
import { parseKfMsgid } from './kfMsgid.js';
import { touchWindows } from './kfWindows.js';
import type { KfGuard } from './kfGuard.js';
import type { KfTouch } from './ports.js';

export interface KfCrypto {
  corpId: string;
  encodingAesKey: string;
}

/** sync_msg origins (doc 94670). */
export const ORIGIN_CUSTOMER = 3;
export const ORIGIN_EVENT = 4;
export const ORIGIN_SERVICER = 5;

/** The citizen a pulled message is about (a customer's message, an event, a servicer's message to them). */
export function citizenOf(msg: KfSyncedMessage): string {
  return msg.external_userid || msg.event?.external_userid || '';
}

export function kfidOf(msg: KfSyncedMessage, fallback: string): string {
  return msg.open_kfid || msg.event?.open_kfid || fallback;
}

/**
 * A pulled message as an inbox item: unique under its msgid (pages overlap, notices repeat), in its citizen's order,
 * and encrypted at rest with the app's key like every callback (the inbox never holds a citizen's text in clear).
 */
export function kfEnvelope(msg: KfSyncedMessage, crypto: KfCrypto, receivedAt: Date): InboxEnvelope {
  const citizen = citizenOf(msg);
  const kind =
    msg.origin === ORIGIN_EVENT && msg.event
      ? `event:${msg.event.event_type}`
      : `kf${msg.origin}:${msg.msgtype}`;
  return {
    channel: WECOM_KF,
    dedupKey: `kfm:${msg.msgid}`,
    userId: citizen || `kf:${kfidOf(msg, '')}`,
    kind: kind.slice(0, 64),
    encrypted: encryptMessage(crypto.encodingAesKey, JSON.stringify(msg), crypto.corpId),
    receivedAt,
  };
}

/** What a page says about citizens' windows: who wrote (and when), who entered with a welcome code. */
export function kfTouches(messages: readonly KfSyncedMessage[], openKfid: string): KfTouch[] {
  const touches: KfTouch[] = [];
  for (const m of messages) {
    const citizen = citizenOf(m);
    if (citizen === '') continue;
    const kfid = kfidOf(m, openKfid);
    const at = new Date(m.send_time * 1000);
    if (m.origin === ORIGIN_CUSTOMER)
      touches.push({ openKfid: kfid, externalUserid: citizen, customerAt: at });
    const code = m.event?.event_type === 'enter_session' ? m.event.welcome_code : undefined;
    if (code) touches.push({ openKfid: kfid, externalUserid: citizen, welcomeCode: { code, at } });
  }
  return touches;
}

/**
 * A msg_send_fail event (kf/send_msg said ok, the message did not reach the citizen, doc 94677): the outbox item its
 * fail_msgid names becomes failed with the reason. A fail_msgid not of ours (a servicer's message) changes nothing.
 */
async function recordSendFailure(db: Database, m: KfSyncedMessage, now: Date): Promise<void> {
  if (m.origin !== ORIGIN_EVENT || m.event?.event_type !== 'msg_send_fail') return;
  const ours = parseKfMsgid(m.event.fail_msgid ?? '');
  if (!ours) return;
  const part = ours.part > 0 ? ` (part ${ours.part + 1})` : '';
  await kfStore(db).markUndelivered({
    outboxId: ours.outboxId,
    createdAt: ours.createdAt,
    reason: `kf msg_send_fail: WeCom did not deliver it${part}, fail_type ${m.event.fail_type ?? 'unknown'}`,
    at: now,
  });
}

/**
 * Puts one page into the inbox: the citizens' windows first (a reply must never find its window not yet opened),
 * then each message under its msgid (a message seen before is a no-op), as the guard (when given) lets it be
 * stored: marked when over the citizen's rate limit, only its head when too long. Returns how many were new.
 */
export async function storeKfMessages(
  db: Database,
  page: { openKfid: string; messages: readonly KfSyncedMessage[] },
  crypto: KfCrypto,
  now: Date,
  guard?: KfGuard,
): Promise<number> {
  await touchWindows(kfStore(db), kfTouches(page.messages, page.openKfid), now);
  const messages = guard ? await guard.screen(page.messages, page.openKfid) : page.messages;
  let stored = 0;
  for (const m of messages) {
    if ((await db.inbox.add(kfEnvelope(m, crypto, now))) === 'stored') stored += 1;
    // Idempotent, so done again when a page is pulled again (a crash after storing the event).
    await recordSendFailure(db, m, now);
  }
  return stored;
}
