import { isExpired, mayStart, type CompiledFlow, type FlowInput } from '../flows/index.js';
import { actorKey, roleOf, type Actor } from './actor.js';
import type { Channel, DecodedMessage } from './channel.js';
import { readConversation } from './conversationData.js';
import { converse, idleMsOf, type ConverseDeps } from './converse.js';
import type { InboundInput, InboundRoute, RouteContext, RouteResult } from './feature.js';
import { findTrigger, type FaqEntry } from '../nlu/index.js';
import { createUnderstanding, understandInbound } from './understandInbound.js';
import type { Change } from './ports.js';
import { assertNever } from '../shared/errors.js';
import { texts } from './texts.js';
import type { CitizenChoicesLookup } from './helpAnswer.js';
import type { ChoiceMenu } from '../wecom/outbound.js';

export interface InboundContext {
  inboxId: number;
  now: Date;
}

/** Decides what one decoded message changes; returns the changes to commit with the inbox item. */
export type InboundHandler = (
  msg: DecodedMessage & { channel: Channel },
  ctx: InboundContext,
) => Promise<Change[]>;

/**
 * Routes a message: strangers on a members-only channel are told whom to contact; the features' routes (a card
 * tap, 参加 / 请假, 同意联名 12) get it first — except a text answering an open flow question, which belongs to the
 * flow unless the route may interrupt; everything else goes to the conversation flows. Replies are keyed by the
 * inbox id, so processing the same item again adds nothing new to the outbox.
 */
export function createInboundHandler(
  deps: ConverseDeps & {
    routes: readonly InboundRoute[];
    officeContact: string;
    /** flows/faq.yaml, answered by the same matcher as the flows (none: no FAQ). */
    faq?: readonly FaqEntry[];
    /** What citizens may start with a tap (open surveys): the menu of their help on 微信客服. */
    citizenChoices?: CitizenChoicesLookup;
  },
): InboundHandler {
  const nlu = createUnderstanding(deps.flows, deps.routes, deps.faq ?? []);
  return async (msg, ctx) => {
    const reply = (content: string, part = '0', menu?: ChoiceMenu): Change => ({
      type: 'outbox.add',
      at: ctx.now,
      message: {
        dedupKey: `reply:${ctx.inboxId}:${part}`,
        toUser: msg.actorId,
        channel: msg.channel.id,
        message: { msgtype: 'text', text: { content }, ...(menu ? { menu } : {}) },
      },
    });
    const { input } = msg;
    if (msg.refusal !== undefined) return [reply(msg.refusal, 'refusal')];
    if (input === null) return [];
    // A channel that welcomes strangers serves citizens: they are never looked up in the members' directory.
    const citizen = msg.channel.strangers === 'welcome';
    const found = citizen ? null : await deps.db.members.get(msg.actorId);
    const member = found?.active ? found : null;
    if (!member && !citizen) return [reply(texts.notRegistered(deps.officeContact))];
    const actor: Actor = {
      channel: msg.channel.id,
      id: msg.actorId,
      member,
      ...(msg.openKfid !== undefined ? { openKfid: msg.openKfid } : {}),
    };
    const turn = { actor, inboxId: ctx.inboxId, now: ctx.now };
    // The text lists what to type (numbers, keywords); on 微信客服 the same choices go as a menu to tap.
    const citizenHelp = async (linkEnded = false): Promise<Change> => {
      const choices = (await deps.citizenChoices?.(actor, ctx.now)) ?? [];
      const flows = publicMenu(deps.flows.flows);
      const options = [...choices.slice(0, MENU_MAX - flows.length), ...flows];
      const { head, tail } = texts.citizenMenu(deps.officeContact, choices.length, linkEnded);
      const content = texts.citizenHelp(
        deps.officeContact,
        publicChoices(deps.flows.flows),
        (await deps.pending?.(actor, ctx.now)) ?? [],
        linkEnded,
      );
      return reply(content, 'help', options.length > 0 ? { head, options, tail } : undefined);
    };
    const routes = deps.routes.filter((r) => answers(r, citizen));

    if (input.type === 'media') {
      // In the middle of something: say so, then ask the open question again so the person knows what to type.
      if (await deps.db.conversations.get(actorKey(actor))) {
        const resumed = await converse(deps, { ...turn, input: { type: 'resume' } });
        return [reply(citizen ? texts.citizenTextOnly : texts.textOnlyInFlow, 'media'), ...resumed];
      }
      return [citizen ? await citizenHelp() : reply(texts.textOnly)];
    }

    const answeringFlow = input.type === 'text' && (await hasOpenQuestion(deps, actor, ctx.now));
    const routeCtx: RouteContext = { ...turn, db: deps.db, officeContact: deps.officeContact };
    const routed = async (r: RouteResult): Promise<Change[]> => {
      const replies = (r.replies ?? []).map((t, i) => reply(t, `route${i}`));
      if (!r.startFlow) return [...r.changes, ...replies];
      const started = await converse(deps, { ...turn, input: { type: 'start' }, start: r.startFlow });
      return [...r.changes, ...replies, ...started];
    };
    for (const route of routes) {
      if (answeringFlow && !route.interruptsFlow) continue;
      const r = await route.handle(input, routeCtx);
      if (r) return routed(r);
    }
    if (citizen && !answeringFlow) {
      // The members' matcher knows members' requests only: a citizen starts a public flow by its keyword, or is
      // told what they can do here (写提案 and the like are for members).
      const open = await deps.db.conversations.get(actorKey(actor));
      // A link whose scene no survey has any more (or never had) gets the help, saying so.
      if (input.type === 'sessionStart')
        return open
          ? converse(deps, { ...turn, input: { type: 'resume' } })
          : [await citizenHelp(input.scene !== null)];
      const flowInput = toFlowInput(input);
      if (flowInput && (open || findTrigger(deps.flows.flows, flowInput, roleOf(actor))))
        return converse(deps, { ...turn, input: flowInput });
      return [await citizenHelp()];
    }
    if (input.type === 'text' && !answeringFlow) {
      auditStaffOnly(deps, actor, input.text);
      // Not an exact phrase: what the person meant, in their own words.
      const u = await understandInbound(nlu, {
        db: deps.db,
        flows: deps.flows,
        actor,
        text: input.text,
        routeCtx,
        now: ctx.now,
      });
      if (u.type === 'route') return routed(u.result);
      if (u.type === 'reply') return [...u.changes, reply(u.text, 'nlu')];
      return converse(deps, { ...turn, input: { type: 'text', text: u.text } });
    }
    const flowInput = toFlowInput(input);
    return flowInput ? converse(deps, { ...turn, input: flowInput }) : [];
  };
}

/**
 * A member (or unit contact) typing a staff-only command (发通知, 交办提案 …) is answered like any text they could not
 * start, and the attempt is logged for audit: who and which flow, never the text.
 */
function auditStaffOnly(deps: ConverseDeps, actor: Actor, text: string): void {
  const role = roleOf(actor);
  if (role === 'staff' || role === 'citizen') return;
  const input = { type: 'text', text } as const;
  if (findTrigger(deps.flows.flows, input, role)) return;
  const staffOnly = findTrigger(deps.flows.flows, input, 'staff');
  if (staffOnly)
    deps.logger.warn({ userId: actor.id, role, flowId: staffOnly.flowId }, 'staff-only request refused');
}

/** What a citizen may start by keyword: the public flows (留言反映问题 …). */
function publicChoices(flows: readonly CompiledFlow[]): string[] {
  return flows
    .filter((f) => mayStart(f, 'citizen'))
    .flatMap((f) => {
      const k = f.def.triggers?.keywords?.[0];
      return k === undefined ? [] : [`· 发送「${k}」：${f.def.title}`];
    });
}

/** 微信客服 msgmenu holds at most 10 items (doc 94677). */
const MENU_MAX = 10;

/** The public flows as menu items: a tap sends the flow's keyword, which starts it like a typed one. */
function publicMenu(flows: readonly CompiledFlow[]): { id: string; label: string }[] {
  return flows
    .filter((f) => mayStart(f, 'citizen'))
    .flatMap((f) => {
      const k = f.def.triggers?.keywords?.[0];
      return k === undefined ? [] : [{ id: k, label: f.def.title }];
    });
}

/** Member features' routes answer members; citizens reach only the routes meant for them. */
function answers(route: InboundRoute, citizen: boolean): boolean {
  const audience = route.audience ?? 'members';
  return audience === 'everyone' || (audience === 'citizens') === citizen;
}

/** True while the actor's conversation waits for an answer to a flow question (and has not gone idle). */
async function hasOpenQuestion(deps: ConverseDeps, actor: Actor, now: Date): Promise<boolean> {
  const record = await deps.db.conversations.get(actorKey(actor));
  const data = readConversation(record?.data ?? null);
  return (
    data?.mode === 'flow' &&
    data.state.status === 'active' &&
    !isExpired(data.state, now, idleMsOf(deps, data))
  );
}

/** A card tap or a session start no route claimed needs no flow; menu clicks and texts go to the flows. */
function toFlowInput(input: Exclude<InboundInput, { type: 'media' }>): FlowInput | null {
  switch (input.type) {
    case 'text':
      return { type: 'text', text: input.text };
    case 'click':
      return { type: 'click', key: input.key };
    case 'cardTap':
    case 'sessionStart':
      return null;
    default:
      return assertNever(input, 'inbound input');
  }
}
