import type { Channel } from '../../core/channel.js';
import { WECOM_APP } from '../../core/actor.js';
import { decodeWecomApp } from './decodeWecomApp.js';
import { createWecomAppDelivery, type WecomAppDeliveryOptions } from './deliverWecomApp.js';

export type { MessageSender } from './deliverWecomApp.js';

/**
 * The WeCom self-built app: members, staff and units write to it inside WeCom; its callbacks are stored encrypted in
 * the inbox, and replies go out through message/send. Only registered members may use it.
 */
export function createWecomAppChannel(
  opts: WecomAppDeliveryOptions & { credentials: { corpId: string; encodingAesKey: string } },
): Channel {
  const deliver = createWecomAppDelivery(opts);
  return {
    id: WECOM_APP,
    strangers: 'refuse',
    decode: (item) => decodeWecomApp(opts.credentials, item),
    deliver,
  };
}
