/** Understanding free text: intents from the flow files, the features' routes and the FAQ; pure, built at start. */
export {
  createMatcher,
  DEFAULT_TUNING,
  type MatcherTuning,
  type Matcher,
  type MatchRole,
  type RankedIntent,
} from './createMatcher.js';
export { decideIntent, DEFAULT_THRESHOLDS, type Decision, type Thresholds } from './decideIntent.js';
export { collectIntents, type Intent, type RouteExamples } from './intents.js';
export { parseFaqYaml, FaqFileSchema, type FaqEntry } from './faqSchema.js';
export { normalizeUtterance } from './normalizeUtterance.js';
export { evaluate, parseEvalYaml, type EvalCase, type EvalReport } from './evaluate.js';
export { findTrigger } from './findTrigger.js';
export { understandText, intentIdOf } from './understandText.js';
