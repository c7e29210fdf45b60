/**
 * `npm run nlu:eval [evalFile…]`: builds the matcher the server builds (flows, the features' routes, flows/faq.yaml)
 * and, for each evaluation set (default: the dev set test/nlu/eval.yaml and the held-out set test/nlu/heldout.yaml),
 * prints accuracy overall and per intent, and the confusion pairs with their utterances. Exits 1 when the dev set is
 * below the targets (95 % overall, 85 % per intent). The held-out set is never tuned against: its figure says
 * whether what the dev set taught generalises.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createFlowRegistry } from '../core/flowRegistry.js';
import type { InboundRoute } from '../core/feature.js';
import {
  collectIntents,
  createMatcher,
  evaluate,
  intentIdOf,
  parseEvalYaml,
  parseFaqYaml,
  understandText,
  type EvalReport,
  type FaqEntry,
  type Matcher,
} from '../nlu/index.js';
import type { CompiledFlow } from '../flows/index.js';
import { readFaqFile, readFlowFiles } from '../store/flowFiles.js';
import { defaultRegistry } from './flowsCheck.js';

export const TARGET_OVERALL = 0.95;
export const TARGET_PER_INTENT = 0.85;
export const DEV_SET = 'test/nlu/eval.yaml';
export const HELDOUT_SET = 'test/nlu/heldout.yaml';

/** The flows, FAQ and matcher as the server builds them at start. */
export async function loadUnderstanding(
  flowsDir: string,
  routes: readonly InboundRoute[] = defaultRegistry().routes,
): Promise<{ flows: readonly CompiledFlow[]; faq: FaqEntry[]; matcher: Matcher }> {
  const flows = createFlowRegistry(await readFlowFiles(flowsDir)).flows;
  const faqFile = await readFaqFile(flowsDir);
  const parsed = faqFile ? parseFaqYaml(faqFile.text) : { ok: true as const, entries: [] };
  if (!parsed.ok) throw new Error(`${flowsDir}/faq.yaml: ${parsed.problems.join('; ')}`);
  return {
    flows,
    faq: parsed.entries,
    matcher: createMatcher(collectIntents(flows, routes, parsed.entries)),
  };
}

/** Runs the evaluation set through the same reading the runtime does. */
export async function runNluEval(evalFile: string, flowsDir: string): Promise<EvalReport> {
  const nlu = await loadUnderstanding(flowsDir);
  const cases = parseEvalYaml(await readFile(evalFile, 'utf8'));
  return evaluate(cases, (c) => intentIdOf(understandText(nlu, c.text, c.role)));
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;

export function formatEvalReport(report: EvalReport): string[] {
  const lines = [
    `总体：${report.correct}/${report.total} = ${pct(report.correct, report.total)}`,
    '',
    '按意图：',
  ];
  for (const p of report.perIntent)
    lines.push(`  ${pct(p.correct, p.total).padStart(6)}  ${p.correct}/${p.total}  ${p.intent}`);
  lines.push('', '混淆（期望 → 实际）：');
  for (const c of report.confusions)
    lines.push(`  ${c.count} × ${c.expected} → ${c.predicted}：${c.texts.map((t) => `「${t}」`).join(' ')}`);
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  const files = argv.length > 0 ? argv : [DEV_SET, HELDOUT_SET];
  let first: EvalReport | null = null;
  for (const file of files) {
    const report = await runNluEval(file, 'flows');
    first ??= report;
    console.log(`══ ${file}`);
    for (const line of formatEvalReport(report)) console.log(line);
    console.log('');
  }
  if (!first) return 1;
  const worst = Math.min(...first.perIntent.map((p) => p.correct / p.total));
  return first.correct / first.total >= TARGET_OVERALL && worst >= TARGET_PER_INTENT ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
