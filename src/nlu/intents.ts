import type { CompiledFlow } from '../flows/index.js';
import type { FaqEntry } from './faqSchema.js';

/**
 * Something a person can ask for in their own words. `flow`: start the flow (by its first keyword); `route`: a
 * feature's inbound route, fed the canonical `phrase` it recognises (「收到，准时参加」 → 参加); `faq`: an answer from
 * flows/faq.yaml.
 */
export type Intent =
  | (IntentBase & { kind: 'flow'; flowId: string; keyword: string })
  | (IntentBase & { kind: 'route'; route: string; phrase: string })
  | (IntentBase & { kind: 'faq'; answer: string });

interface IntentBase {
  /** Flow id, `route:phrase` or `faq.<id>`: what the evaluation set names. */
  id: string;
  /** How the intent is offered in 「您是想：1. … 2. …？」. */
  label: string;
  /** Who may be understood as asking for it (a member never starts a staff flow by accident). */
  audience: 'all' | 'staff' | 'unit' | 'public';
  /** Exact forms: keywords, route phrases. */
  keywords: readonly string[];
  /** Everyday utterances meaning the same. */
  examples: readonly string[];
}

/** The inbound-route fields the matcher learns from (see InboundRoute in core/feature.ts). */
export interface RouteExamples {
  name: string;
  label?: string;
  /** Everyday utterances by the canonical phrase the route recognises. */
  examples?: Readonly<Record<string, readonly string[]>>;
}

/** Every intent of the running server: flows with triggers, the routes' phrases, the FAQ entries. */
export function collectIntents(
  flows: readonly CompiledFlow[],
  routes: readonly RouteExamples[],
  faq: readonly FaqEntry[],
): Intent[] {
  const out: Intent[] = [];
  for (const f of flows) {
    const keywords = f.def.triggers?.keywords ?? [];
    const keyword = keywords[0];
    if (keyword === undefined) continue;
    // A staff flow with the keyword of an all-audience one is that flow for staff: the trigger lookup starts it
    // when staff are understood as asking for the other (帮助 → help_staff), so it is not a rival intent.
    const twin = flows.some(
      (a) => a !== f && (a.def.audience ?? 'all') === 'all' && a.def.triggers?.keywords?.[0] === keyword,
    );
    if (f.def.audience === 'staff' && twin) continue;
    out.push({
      kind: 'flow',
      id: f.id,
      flowId: f.id,
      keyword,
      label: f.def.title,
      audience: f.def.audience ?? 'all',
      keywords,
      examples: f.def.triggers?.examples ?? [],
    });
  }
  for (const r of routes) {
    for (const [phrase, examples] of Object.entries(r.examples ?? {})) {
      out.push({
        kind: 'route',
        id: `${r.name}:${phrase}`,
        route: r.name,
        phrase,
        label: `回复「${phrase}」`,
        audience: 'all',
        keywords: [phrase],
        examples,
      });
    }
  }
  for (const e of faq) {
    out.push({
      kind: 'faq',
      id: `faq.${e.id}`,
      label: e.question,
      audience: e.audience ?? 'all',
      keywords: [e.question],
      examples: e.examples,
      answer: e.answer,
    });
  }
  return out;
}
