/**
 * `npx tsx bench/nlu.ts`: what understanding adds per message. Runs every utterance of the evaluation set through
 * the exact keyword match alone (the baseline) and through the whole reading (keyword, then the matcher), in the
 * same run, and prints p50 / p99 of each and the training time. Measured, never asserted.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { defaultRegistry } from '../src/cli/flowsCheck.js';
import { loadUnderstanding } from '../src/cli/nluEval.js';
import {
  collectIntents,
  createMatcher,
  findTrigger,
  parseEvalYaml,
  understandText,
} from '../src/nlu/index.js';

const ROUNDS = 50;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function time(fn: () => void, samples: number[]): void {
  const t = performance.now();
  fn();
  samples.push(performance.now() - t);
}

const nlu = await loadUnderstanding('flows');
const cases = parseEvalYaml(await readFile('test/nlu/eval.yaml', 'utf8'));

const t0 = performance.now();
const trainRuns = 20;
const routes = defaultRegistry().routes;
for (let i = 0; i < trainRuns; i++) createMatcher(collectIntents(nlu.flows, routes, nlu.faq));
const trainMs = (performance.now() - t0) / trainRuns;

const baseline: number[] = [];
const full: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    const role = c.role === 'staff' ? 'staff' : 'member';
    time(() => findTrigger(nlu.flows, { type: 'text', text: c.text }, role), baseline);
    time(() => understandText(nlu, c.text, role), full);
  }
}
const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${(percentile(s, 50) * 1000).toFixed(1)} µs  p99 ${(percentile(s, 99) * 1000).toFixed(1)} µs`;
};
console.log(`${cases.length} utterances × ${ROUNDS} rounds; ${nlu.matcher.intents.length} intents`);
console.log(`training (flows, routes, FAQ): ${trainMs.toFixed(2)} ms`);
console.log(`exact keyword only : ${fmt(baseline)}`);
console.log(`keyword + matcher  : ${fmt(full)}`);
