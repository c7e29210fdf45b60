import type { CompiledFlow } from '../flows/index.js';
import type { Matcher, MatchRole } from './createMatcher.js';
import { decideIntent, type Decision } from './decideIntent.js';
import { findTrigger } from './findTrigger.js';
import { assertNever } from '../shared/errors.js';

/**
 * The whole reading of a free text, as the runtime does it: an exact keyword (alone or followed by text) wins and
 * is not matched further; otherwise the matcher decides. Pure; the evaluation runs exactly this.
 */
export function understandText(
  nlu: { flows: readonly CompiledFlow[]; matcher: Matcher },
  text: string,
  role: MatchRole,
): { type: 'keyword'; flowId: string } | Decision {
  const exact = findTrigger(nlu.flows, { type: 'text', text }, role);
  if (exact) return { type: 'keyword', flowId: exact.flowId };
  const decision = decideIntent(nlu.matcher, text, role);
  if (decision.type !== 'act' || decision.intent.kind !== 'flow') return decision;
  // The runtime starts a flow intent by its keyword, which for staff may start the staff flow with the same keyword
  // (帮助 → help_staff): name the flow that really starts.
  const started = findTrigger(nlu.flows, { type: 'text', text: decision.intent.keyword }, role);
  return started ? { type: 'keyword', flowId: started.flowId } : decision;
}

/**
 * The intent id a reading amounts to, for the evaluation. Only acting counts: offering a choice (`ask:<best>`) is
 * a miss for a clear request and for small talk alike.
 */
export function intentIdOf(reading: ReturnType<typeof understandText>): string {
  switch (reading.type) {
    case 'keyword':
      return reading.flowId;
    case 'act':
      return reading.intent.id;
    case 'ask':
      return `ask:${reading.intents[0]?.id ?? ''}`;
    case 'none':
      return 'none';
    default:
      return assertNever(reading, 'reading');
  }
}
