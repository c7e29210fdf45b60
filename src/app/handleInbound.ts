import type { InboundMessage } from '../wecom/inbound.js';
import { assertNever } from '../shared/errors.js';
import type { Change, MemberStore, OutboundMessage } from './ports.js';
import { texts } from './texts.js';

export interface InboundContext {
  inboxId: number;
  now: Date;
}

/** Decides what one inbound message changes; returns the changes to commit with the inbox item. */
export type InboundHandler = (msg: InboundMessage, ctx: InboundContext) => Promise<Change[]>;

/**
 * The channel's own answers: strangers are told whom to contact, members get the help text.
 * Replies are keyed by inbox id, so processing the same item again adds nothing new to the outbox.
 */
export function createInboundHandler(deps: { members: MemberStore; officeContact: string }): InboundHandler {
  return async (msg, ctx) => {
    const reply = (content: string): Change => ({
      type: 'outbox.add',
      at: ctx.now,
      message: { dedupKey: `reply:${ctx.inboxId}:0`, toUser: msg.fromUserName, message: text(content) },
    });
    const wantsAnswer = expectsAnswer(msg);
    if (!wantsAnswer) return [];
    const member = await deps.members.get(msg.fromUserName);
    if (!member || !member.active) return [reply(texts.notRegistered(deps.officeContact))];
    if (msg.type !== 'text' && msg.type !== 'event') return [reply(texts.textOnly)];
    return [reply(texts.help(member.name, deps.officeContact))];
  };
}

/** Which inbound messages deserve an answer; opening the app (enter_agent) or taps on cards do not. */
function expectsAnswer(msg: InboundMessage): boolean {
  switch (msg.type) {
    case 'text':
    case 'image':
    case 'voice':
    case 'video':
    case 'location':
    case 'link':
      return true;
    case 'event':
      return msg.event === 'subscribe' || msg.event === 'click';
    case 'template_card_event':
    case 'unknown':
      return false;
    default:
      return assertNever(msg, 'inbound message');
  }
}

function text(content: string): OutboundMessage {
  return { msgtype: 'text', text: { content } };
}
