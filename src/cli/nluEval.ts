/**
 * `npm run nlu:eval [evalFile] [flowsDir]`: reads the evaluation set (default test/nlu/eval.yaml), builds the
 * matcher the server builds (flows, the features' routes, flows/faq.yaml), and prints accuracy overall and per
 * intent, and the confusion pairs with their utterances. Exits 1 below the targets (95 % overall, 85 % per intent).
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
  return evaluate(cases, (c) =>
    intentIdOf(understandText(nlu, c.text, c.role === 'staff' ? 'staff' : 'member')),
  );
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
  const report = await runNluEval(argv[0] ?? 'test/nlu/eval.yaml', argv[1] ?? 'flows');
  for (const line of formatEvalReport(report)) console.log(line);
  const worst = Math.min(...report.perIntent.map((p) => p.correct / p.total));
  return report.correct / report.total >= TARGET_OVERALL && worst >= TARGET_PER_INTENT ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
