import { UndecodableMessage, type DecodedMessage } from '../../core/channel.js';
import { cleanText } from '../../shared/text.js';
import type { InboundInput } from '../../core/feature.js';
import type { InboxItem } from '../../core/ports.js';
import { decryptMessage } from '../../wecom/crypto.js';
import { kfSyncedMessage, type KfSyncedMessage } from '../../wecom/api/kf.js';
import { guardMarkOf, kfGuardTexts } from './kfGuard.js';
import { citizenOf, kfidOf, ORIGIN_CUSTOMER, ORIGIN_EVENT, type KfCrypto } from './kfInbox.js';

/**
 * Opens a pulled 微信客服 message. Customers' messages and the session start are answered; a servicer's message,
 * a send-failure event and other events are recorded (input null), never answered.
 */
export function decodeWecomKf(crypto: KfCrypto, item: InboxItem): DecodedMessage {
  const plaintext = decryptMessage(crypto.encodingAesKey, item.encrypted, crypto.corpId);
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext);
  } catch {
    throw new UndecodableMessage('kf message is not JSON');
  }
  const parsed = kfSyncedMessage.safeParse(raw);
  if (!parsed.success)
    throw new UndecodableMessage(`kf message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const msg = parsed.data;
  const citizen = citizenOf(msg);
  if (citizen === '') return { actorId: item.userId, input: null };
  const who = { actorId: citizen, openKfid: kfidOf(msg, '') };
  const mark = msg.origin === ORIGIN_CUSTOMER ? guardMarkOf(raw) : null;
  // Marked by the guard when pulled: a muted citizen is not answered; over the limit or too long, a refusal.
  if (mark?.rate === 'muted') return { ...who, input: null };
  if (mark?.rate === 'limited')
    return { ...who, input: null, refusal: kfGuardTexts.limited(mark.minutes ?? 1) };
  if (mark?.cut) return { ...who, input: null, refusal: kfGuardTexts.tooLong(mark.cut.max) };
  return { ...who, input: toInboundInput(msg) };
}

export function toInboundInput(msg: KfSyncedMessage): InboundInput | null {
  if (msg.origin === ORIGIN_CUSTOMER) {
    if (msg.msgtype !== 'text') return { type: 'media' };
    // A tap on a msgmenu item comes back as a text with its id: the id is the option's value, the answer itself.
    const menuId = msg.text?.menu_id;
    if (menuId) return { type: 'text', text: cleanText(menuId) };
    // Control characters and lone surrogates cannot be stored (MariaDB's JSON check) nor echoed (40033).
    return { type: 'text', text: cleanText(msg.text?.content ?? '') };
  }
  if (msg.origin === ORIGIN_EVENT && msg.event?.event_type === 'enter_session') {
    const { scene, welcome_code: welcomeCode } = msg.event;
    return { type: 'sessionStart', scene: scene ? scene : null, ...(welcomeCode ? { welcomeCode } : {}) };
  }
  // Servicers' messages (origin 5), msg_send_fail and other events: recorded in the inbox, not answered.
  return null;
}
