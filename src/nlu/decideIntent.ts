import type { Intent } from './intents.js';
import type { Matcher, MatchRole } from './createMatcher.js';

/**
 * What to do with a free text no keyword matched. `act`: confident, do it; `ask`: two or three plausible intents,
 * offer them numbered; `none`: no idea, answer with what this person can do.
 */
export type Decision =
  { type: 'act'; intent: Intent; score: number } | { type: 'ask'; intents: Intent[] } | { type: 'none' };

export interface Thresholds {
  /** At or above this, with a clear lead over the runner-up, the best intent is acted on. */
  confident: number;
  /** The lead the best intent needs over the next one to be acted on without asking. */
  margin: number;
  /** Below this nothing is offered. */
  plausible: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { confident: 0.28, margin: 0.05, plausible: 0.25 };

export function decideIntent(
  matcher: Matcher,
  text: string,
  role: MatchRole,
  th: Thresholds = DEFAULT_THRESHOLDS,
): Decision {
  const ranked = matcher.rank(text, role);
  const best = ranked[0];
  if (!best || best.score < th.plausible) return { type: 'none' };
  const second = ranked[1]?.score ?? 0;
  // Confident: high with a lead, or plausible and far ahead of anything else (short everyday forms score low).
  const clearLead = best.score >= th.confident && best.score - second >= th.margin;
  if (clearLead || (best.score >= th.confident * 0.8 && best.score >= 2 * second)) {
    return { type: 'act', intent: best.intent, score: best.score };
  }
  // Offer the close ones only: a distant third is noise in a question.
  const offered = ranked
    .filter((r) => r.score >= th.plausible * 0.8 && r.score >= best.score - 0.15)
    .slice(0, 3);
  return { type: 'ask', intents: offered.map((r) => r.intent) };
}
