import { describe, expect, it } from 'vitest';
import { DEV_SET, formatEvalReport, HELDOUT_SET, runNluEval } from '../../src/cli/nluEval.js';

/**
 * The evaluation sets as a build gate: a flow, route or FAQ edit that breaks how people are understood fails here.
 * The floors sit just under today's figures (npm run nlu:eval prints them); raise them as understanding improves.
 * The held-out set was written before any tuning; the topic cues (src/nlu/topicCues.ts) were later written with some
 * of its misses in view, so it no longer measures unseen phrasing on its own. Before retuning, write a fresh
 * held-out set and keep it out of sight.
 */
// Held-out intents have 5 to 7 cases, where one miss is 83 %: its per-intent floor leaves room for that one.
const SETS = [
  { file: DEV_SET, minCases: 300, overall: 0.98, perIntent: 0.9 },
  { file: HELDOUT_SET, minCases: 150, overall: 0.97, perIntent: 0.8 },
];

describe('understanding of everyday messages', () => {
  for (const set of SETS) {
    it(`${set.file} stays above the floor overall and for every intent`, async () => {
      const report = await runNluEval(set.file, 'flows');
      const summary = formatEvalReport(report).join('\n');
      expect(report.total, summary).toBeGreaterThanOrEqual(set.minCases);
      expect(report.correct / report.total, summary).toBeGreaterThanOrEqual(set.overall);
      for (const p of report.perIntent)
        expect(p.correct / p.total, `${p.intent}\n${summary}`).toBeGreaterThanOrEqual(set.perIntent);
    });
  }
});
