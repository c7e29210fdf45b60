import { describe, expect, it } from 'vitest';
import { formatEvalReport, runNluEval } from '../../src/cli/nluEval.js';

/**
 * The evaluation set as a build gate: a flow, route or FAQ edit that breaks how people are understood fails here.
 * The floors sit just under today's figures (npm run nlu:eval prints them); raise them as understanding improves.
 */
const FLOOR_OVERALL = 0.83;
const FLOOR_PER_INTENT = 0.55;

describe('understanding of everyday messages (test/nlu/eval.yaml)', () => {
  it('stays above the floor overall and for every intent', async () => {
    const report = await runNluEval('test/nlu/eval.yaml', 'flows');
    const summary = formatEvalReport(report).join('\n');
    expect(report.total, summary).toBeGreaterThanOrEqual(300);
    expect(report.correct / report.total, summary).toBeGreaterThanOrEqual(FLOOR_OVERALL);
    for (const p of report.perIntent)
      expect(p.correct / p.total, `${p.intent}\n${summary}`).toBeGreaterThanOrEqual(FLOOR_PER_INTENT);
  });
});
