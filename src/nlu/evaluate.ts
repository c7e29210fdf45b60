import { parse } from 'yaml';
import { z } from 'zod';

/** test/nlu/eval.yaml: utterances grouped by the intent they mean and who types them. */
const EvalFileSchema = z.strictObject({
  groups: z.array(
    z.strictObject({
      intent: z.string().min(1),
      role: z.enum(['member', 'staff', 'unit']),
      texts: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
    }),
  ),
});

export interface EvalCase {
  text: string;
  /** Flow id, route:phrase, faq.<id>, or none. */
  intent: string;
  role: 'member' | 'staff' | 'unit';
}

export function parseEvalYaml(text: string): EvalCase[] {
  const file = EvalFileSchema.parse(parse(text));
  return file.groups.flatMap((g) => g.texts.map((t) => ({ text: t, intent: g.intent, role: g.role })));
}

export interface EvalReport {
  total: number;
  correct: number;
  /** Per expected intent: cases and correct ones, sorted by intent. */
  perIntent: { intent: string; total: number; correct: number }[];
  /** expected → predicted, most frequent first. */
  confusions: { expected: string; predicted: string; count: number; texts: string[] }[];
}

/** Runs every case through `predict` (which answers an intent id or none) and tallies the results. */
export function evaluate(cases: readonly EvalCase[], predict: (c: EvalCase) => string): EvalReport {
  const per = new Map<string, { total: number; correct: number }>();
  const conf = new Map<string, { expected: string; predicted: string; count: number; texts: string[] }>();
  let correct = 0;
  for (const c of cases) {
    const got = predict(c);
    const p = per.get(c.intent) ?? { total: 0, correct: 0 };
    p.total++;
    if (got === c.intent) {
      p.correct++;
      correct++;
    } else {
      const key = `${c.intent}→${got}`;
      const e = conf.get(key) ?? { expected: c.intent, predicted: got, count: 0, texts: [] };
      e.count++;
      e.texts.push(c.text);
      conf.set(key, e);
    }
    per.set(c.intent, p);
  }
  return {
    total: cases.length,
    correct,
    perIntent: [...per]
      .map(([intent, p]) => ({ intent, ...p }))
      .sort((a, b) => a.intent.localeCompare(b.intent)),
    confusions: [...conf.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
  };
}
