import type { InboundMessage } from '../wecom/inbound.js';
import type { FlowInput } from '../flows/index.js';
import { assertNever } from '../shared/errors.js';
import { converse, type ConverseDeps } from './converse.js';
import type { Change, Member, OutboundMessage } from './ports.js';
import { respondCosign } from '../features/proposals/respondCosign.js';
import {
  parseTextAnswer,
  respondToNotice,
  type NoticeReply,
  type NoticeResponse,
} from '../features/notices/respondToNotice.js';
import { texts } from './texts.js';

export interface InboundContext {
  inboxId: number;
  now: Date;
}

/** Decides what one inbound message changes; returns the changes to commit with the inbox item. */
export type InboundHandler = (msg: InboundMessage, ctx: InboundContext) => Promise<Change[]>;

/**
 * Routes a message: strangers are told whom to contact; a co-signer's 同意联名 / 不同意联名 is recorded; a tap on a
 * notice card, or 参加 / 请假 typed, is a 回执; anything else from a member goes to the conversation flows.
 * Replies are keyed by inbox id, so processing the same item again adds nothing new to the outbox.
 */
export function createInboundHandler(
  deps: ConverseDeps & {
    officeContact: string;
    /** Starts an app-chosen flow (e.g. notice_leave for the 请假 reason); defaults to the conversation runtime. */
    startFlow?: (args: {
      member: Member;
      flowId: string;
      context: Record<string, string>;
      inboxId: number;
      now: Date;
    }) => Promise<Change[]>;
  },
): InboundHandler {
  // By default an app-chosen flow starts in the member's conversation, like any other.
  const startFlow =
    deps.startFlow ??
    ((a: { member: Member; flowId: string; context: Record<string, string>; inboxId: number; now: Date }) =>
      converse(deps, {
        member: a.member,
        input: { type: 'start' },
        inboxId: a.inboxId,
        now: a.now,
        start: { flowId: a.flowId, context: a.context },
      }));
  const noticeChanges = async (r: NoticeResponse, member: Member, ctx: InboundContext): Promise<Change[]> => {
    if (!r.startFlow) return r.changes;
    const started = await startFlow({ member, ...r.startFlow, inboxId: ctx.inboxId, now: ctx.now });
    return [...r.changes, ...started];
  };
  const noticeArgs = (member: Member, ctx: InboundContext) => ({
    member,
    now: ctx.now,
    inboxId: ctx.inboxId,
    officeContact: deps.officeContact,
  });
  return async (msg, ctx) => {
    const reply = (content: string, part = '0'): Change => ({
      type: 'outbox.add',
      at: ctx.now,
      message: { dedupKey: `reply:${ctx.inboxId}:${part}`, toUser: msg.fromUserName, message: text(content) },
    });
    const input = toFlowInput(msg);
    if (input === 'ignore' && msg.type !== 'template_card_event') return [];
    const member = await deps.db.members.get(msg.fromUserName);
    if (!member || !member.active) return [reply(texts.notRegistered(deps.officeContact))];
    if (msg.type === 'template_card_event') {
      const tap: NoticeReply = { kind: 'tap', eventKey: msg.eventKey, responseCode: msg.responseCode };
      const r = await respondToNotice(deps.db, { ...noticeArgs(member, ctx), reply: tap });
      return r ? noticeChanges(r, member, ctx) : [];
    }
    if (input === 'ignore') return [];
    if (input === 'notText') {
      // In the middle of something: say so, then ask the open question again so the member knows what to type.
      if (await deps.db.conversations.get(member.userId)) {
        const resumed = await converse(deps, {
          member,
          input: { type: 'resume' },
          inboxId: ctx.inboxId,
          now: ctx.now,
        });
        return [reply(texts.textOnlyInFlow, 'media'), ...resumed];
      }
      return [reply(texts.textOnly)];
    }
    if (input.type === 'text') {
      const cosign = await respondCosign(deps.db, member, input.text, ctx.now);
      if (cosign) return [...cosign.changes, reply(cosign.reply)];
      const answer = parseTextAnswer(input.text);
      const r = answer
        ? await respondToNotice(deps.db, { ...noticeArgs(member, ctx), reply: { kind: 'text', answer } })
        : null;
      if (r) return noticeChanges(r, member, ctx);
    }
    return converse(deps, { member, input, inboxId: ctx.inboxId, now: ctx.now });
  };
}

/** What the flows see of a WeCom message; opening the app (enter_agent) or card taps need no answer here. */
function toFlowInput(msg: InboundMessage): FlowInput | 'ignore' | 'notText' {
  switch (msg.type) {
    case 'text':
      return { type: 'text', text: msg.content };
    case 'image':
    case 'voice':
    case 'video':
    case 'location':
    case 'link':
      return 'notText';
    case 'event':
      if (msg.event === 'click') return { type: 'click', key: msg.eventKey };
      // A member who newly sees the app is greeted with the help flow.
      if (msg.event === 'subscribe') return { type: 'text', text: '帮助' };
      return 'ignore';
    case 'template_card_event':
    case 'unknown':
      return 'ignore';
    default:
      return assertNever(msg, 'inbound message');
  }
}

function text(content: string): OutboundMessage {
  return { msgtype: 'text', text: { content } };
}
