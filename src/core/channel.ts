import type { ChannelId } from './actor.js';
import type { InboundInput } from './feature.js';
import type { InboxItem, OutboxItem } from './ports.js';

/** What a stored inbox item says, once its channel has opened it. */
export interface DecodedMessage {
  /** The sender's id on the channel (a WeCom userid; a 微信客服 external_userid). */
  actorId: string;
  /** 微信客服: the 客服账号 the citizen wrote to (becomes Actor.openKfid). */
  openKfid?: string;
  /** null: an event that needs no answer (opening the app, a servicer's own message). */
  input: InboundInput | null;
  /** The channel refuses the message itself (a citizen over the rate limit, a text too long): this is the answer. */
  refusal?: string;
}

/** An authentic inbox item whose content cannot be read: it is dead-lettered with the reason, not retried. */
export class UndecodableMessage extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UndecodableMessage';
  }
}

/**
 * How one outbox item fared. `delivered`: the channel accepted it (some recipients may have failed, named with
 * their reason); `failed`: final, never retried; `wait`: not an attempt — paced or paused until `until`
 * (`pauseChannel` holds every message of the channel until then, e.g. after a rate-limit answer); `retry`: a
 * transient failure, retried with backoff until the sender's attempts run out.
 */
export type DeliveryOutcome =
  | {
      kind: 'delivered';
      msgId: string | null;
      delivered: string[];
      failed: { userIds: string[]; error: string }[];
    }
  | { kind: 'failed'; errcode: number | null; reason: string }
  | { kind: 'wait'; until: Date; errcode: number | null; reason: string; pauseChannel?: boolean }
  | { kind: 'retry'; errcode: number | null; reason: string };

/**
 * A way people reach the product. The pipeline stores each callback in the inbox, asks the channel to decode it,
 * runs it through routes and flows, and hands the outbox rows carrying the channel's id back to it to deliver.
 */
export interface Channel {
  readonly id: ChannelId;
  /** 'refuse': only registered members may talk (the WeCom app); 'welcome': anyone (citizens via 微信客服). */
  readonly strangers: 'refuse' | 'welcome';
  /** Throws UndecodableMessage when the item is authentic but unreadable. */
  decode(item: InboxItem): DecodedMessage;
  deliver(item: OutboxItem, now: Date): Promise<DeliveryOutcome>;
}
