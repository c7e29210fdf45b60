import { UndecodableMessage, type DecodedMessage } from '../../core/channel.js';
import type { InboundInput } from '../../core/feature.js';
import type { InboxItem } from '../../core/ports.js';
import { assertNever } from '../../shared/errors.js';
import { decryptMessage } from '../../wecom/crypto.js';
import { InboundParseError, parseInbound, type InboundMessage } from '../../wecom/inbound.js';

/**
 * Opens a stored WeCom app callback: the inbox keeps the ciphertext (message text stays encrypted at rest), so it is
 * decrypted here, parsed, and said in the pipeline's terms.
 */
export function decodeWecomApp(
  credentials: { corpId: string; encodingAesKey: string },
  item: InboxItem,
): DecodedMessage {
  const plaintext = decryptMessage(credentials.encodingAesKey, item.encrypted, credentials.corpId);
  let msg: InboundMessage;
  try {
    msg = parseInbound(plaintext);
  } catch (err) {
    if (err instanceof InboundParseError) throw new UndecodableMessage(`unparseable: ${err.message}`);
    throw err;
  }
  return { actorId: msg.fromUserName, input: toInboundInput(msg) };
}

/** Opening the app (enter_agent) and unknown kinds need no answer; a new subscriber is greeted with 帮助. */
export function toInboundInput(msg: InboundMessage): InboundInput | null {
  switch (msg.type) {
    case 'text':
      return { type: 'text', text: msg.content };
    case 'image':
    case 'voice':
    case 'video':
    case 'location':
    case 'link':
      return { type: 'media' };
    case 'event':
      if (msg.event === 'click') return { type: 'click', key: msg.eventKey };
      if (msg.event === 'subscribe') return { type: 'text', text: '帮助' };
      return null;
    case 'template_card_event':
      return { type: 'cardTap', eventKey: msg.eventKey, responseCode: msg.responseCode };
    // 微信客服 new-message notice: its messages are pulled (kf/sync_msg) when it is stored; nothing to answer here.
    case 'kf_msg_or_event':
    case 'unknown':
      return null;
    default:
      return assertNever(msg, 'inbound message');
  }
}
