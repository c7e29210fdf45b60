import { parseIndex } from '../flows/index.js';
import {
  collectIntents,
  createMatcher,
  decideIntent,
  findTrigger,
  type FaqEntry,
  type Intent,
  type Matcher,
} from '../nlu/index.js';
import { actorKey, flowRole, type Actor } from './actor.js';
import { readConversation, writeConversation } from './conversationData.js';
import type { FlowRegistry } from './flowRegistry.js';
import type { InboundRoute, RouteContext, RouteResult } from './feature.js';
import type { Change, Database } from './ports.js';
import { assertNever } from '../shared/errors.js';

export interface Understanding {
  matcher: Matcher;
  routes: readonly InboundRoute[];
}

/** Trains the matcher once at start from the flows' keywords and examples, the routes' examples and the FAQ. */
export function createUnderstanding(
  flows: FlowRegistry,
  routes: readonly InboundRoute[],
  faq: readonly FaqEntry[],
): Understanding {
  return { matcher: createMatcher(collectIntents(flows.flows, routes, faq)), routes };
}

/**
 * What a free text that no route took becomes. `text`: hand this text to the conversation flows (the original, or
 * the keyword / phrase of a confidently understood flow or route — exact keywords stay the only way in, so a flow
 * edit keeps working); `route`: a route took the canonical phrase; `reply`: answered here (an FAQ, or the question
 * 「您是想：…」), with the changes to commit.
 */
export type Understood =
  | { type: 'text'; text: string }
  | { type: 'route'; result: RouteResult }
  | { type: 'reply'; changes: Change[]; text: string };

export async function understandInbound(
  nlu: Understanding,
  args: { db: Database; flows: FlowRegistry; actor: Actor; text: string; routeCtx: RouteContext; now: Date },
): Promise<Understood> {
  const { actor, text } = args;
  const key = actorKey(actor);
  const record = await args.db.conversations.get(key);
  const data = readConversation(record?.data ?? null);
  const role = flowRole(actor);

  const clear: Change[] = data?.mode === 'pickIntent' ? [{ type: 'conversation.delete', userId: key }] : [];
  if (data?.mode === 'pickIntent') {
    const n = parseIndex(text);
    const picked = n === null ? undefined : nlu.matcher.intents.find((i) => i.id === data.intentIds[n - 1]);
    // Anything but a listed number is read afresh.
    if (picked) return act(nlu, picked, null, args, clear);
  } else if (data !== null) {
    // A draft to pick, or a flow gone idle: the conversation runtime knows what to do with it.
    return { type: 'text', text };
  }
  if (findTrigger(args.flows.flows, { type: 'text', text }, role)) return { type: 'text', text };

  const decision = decideIntent(nlu.matcher, text, role);
  switch (decision.type) {
    case 'act':
      return act(nlu, decision.intent, text, args, clear);
    case 'ask':
      return {
        type: 'reply',
        changes: [
          {
            type: 'conversation.save',
            userId: key,
            data: writeConversation({ mode: 'pickIntent', intentIds: decision.intents.map((i) => i.id) }),
            at: args.now,
          },
        ],
        text: askWhich(decision.intents),
      };
    case 'none':
      return { type: 'text', text };
    default:
      return assertNever(decision, 'decision');
  }
}

async function act(
  nlu: Understanding,
  intent: Intent,
  said: string | null,
  args: { routeCtx: RouteContext; flows: FlowRegistry },
  clear: Change[],
): Promise<Understood> {
  switch (intent.kind) {
    case 'flow': {
      // A query (我的提案) takes a reference the sentence carries (养老 in 「我那个养老的提案到哪一步了」) as
      // 「我的提案 养老」 does: its first question asks which one. A drafting flow's first question asks for content,
      // which a request to start drafting does not hold, so it starts plainly.
      const rest =
        said !== null && args.flows.get(intent.flowId)?.def.interrupts
          ? nlu.matcher.rest(said, intent)
          : null;
      return { type: 'text', text: rest ? `${intent.keyword} ${rest}` : intent.keyword };
    }
    case 'faq':
      return { type: 'reply', changes: clear, text: intent.answer };
    case 'route': {
      const route = nlu.routes.find((r) => r.name === intent.route);
      const result = route ? await route.handle({ type: 'text', text: intent.phrase }, args.routeCtx) : null;
      // A route with nothing to answer (no open notice) leaves the phrase to the flows' usual reply.
      return result
        ? { type: 'route', result: { ...result, changes: [...clear, ...result.changes] } }
        : { type: 'text', text: intent.phrase };
    }
    default:
      return assertNever(intent, 'intent');
  }
}

function askWhich(intents: readonly Intent[]): string {
  if (intents.length === 1)
    return `您是想：${intents[0]!.label}？回复「1」确认；不是的话，发送「帮助」看看能做什么。`;
  return [
    '您是想：',
    ...intents.map((i, n) => `${n + 1}. ${i.label}`),
    '请回复序号；都不是的话，发送「帮助」看看能做什么。',
  ].join('\n');
}
