import type { Logger } from 'pino';
import { WECOM_KF } from '../../core/actor.js';
import type { Channel } from '../../core/channel.js';
import { decodeWecomKf } from './decodeWecomKf.js';
import { createWecomKfDelivery, type WecomKfDeliveryOptions } from './deliverWecomKf.js';
import type { KfCrypto } from './kfInbox.js';

export { createKfPuller, type KfPuller } from './pullWecomKf.js';
export { createKfGuard, type KfGuard, type KfGuardSettings } from './kfGuard.js';
export { storeKfMessages, type KfCrypto } from './kfInbox.js';
export { kfStore } from './kfStore.js';

/** The 客服账号 of local mode (no WeCom): the chat simulator's citizens write to it. */
export const LOCAL_OPEN_KFID = 'wk-local';

/**
 * 微信客服: citizens write from their own WeChat. A kf_msg_or_event notice on the app's callback URL makes the puller
 * fetch the messages (kf/sync_msg) into the inbox; the worker answers them like members' messages, in order per
 * citizen; replies go out through kf/send_msg within the 48 h / 5-message window. Anyone may write (strangers are
 * welcome: they are citizens).
 */
export function createWecomKfChannel(
  opts: WecomKfDeliveryOptions & { crypto: KfCrypto; logger: Logger },
): Channel {
  const deliver = createWecomKfDelivery(opts);
  return {
    id: WECOM_KF,
    strangers: 'welcome',
    decode(item) {
      const decoded = decodeWecomKf(opts.crypto, item);
      if (decoded.input === null)
        opts.logger.info({ inboxId: item.id, kind: item.kind }, 'kf message recorded');
      return decoded;
    },
    deliver,
  };
}
