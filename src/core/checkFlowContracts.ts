import type { CompiledFlow, Problem } from '../flows/index.js';
import { AppError } from '../shared/errors.js';
import type { Registry } from './registry.js';

export interface FlowContractReport {
  /** Fail the check: an effect no feature provides, a payload its schema refuses, a saveAs key it never returns. */
  problems: Problem[];
  /** Worth a look: a flow option equal to a phrase a feature answers outside flows. */
  warnings: Problem[];
}

/**
 * Checks a compiled flow against what the features provide. Payload values are templates rendered to text at run
 * time, so a sample with every templated value as text, every literal one as written (and `answers` when the step
 * includes them) is what the effect's schema must accept.
 */
export function checkFlowContracts(flow: CompiledFlow, registry: Registry): FlowContractReport {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const phrases = new Map<string, string>();
  for (const route of registry.routes) for (const p of route.phrases) phrases.set(p, route.name);

  flow.def.steps.forEach((step, index) => {
    const at = `steps.${index}(${step.id})`;
    if (step.type === 'action') {
      const def = registry.effects.get(step.effect);
      if (!def) {
        problems.push({ path: `${at}.effect`, message: `没有任何功能提供效果「${step.effect}」` });
        return;
      }
      const sample: Record<string, unknown> = {};
      // A value without a template is sent as written (kind: sign), so the schema sees it; a template, any text.
      for (const [key, value] of Object.entries(step.payload ?? {}))
        sample[key] = value.includes('{{') ? '样例' : value;
      if (step.includeAnswers) sample['answers'] = {};
      const parsed = def.payload.safeParse(sample);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          problems.push({
            path: `${at}.payload${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}`,
            message: `效果「${step.effect}」不接受这个参数：${issue.message}`,
          });
      const keys = Object.keys(def.result.shape);
      for (const [field, key] of Object.entries(step.saveAs ?? {}))
        if (!keys.includes(key))
          problems.push({
            path: `${at}.saveAs.${field}`,
            message: `效果「${step.effect}」的结果没有「${key}」（只有 ${keys.join('、')}）`,
          });
    }
    if (step.type === 'choice' || step.type === 'multi') {
      for (const option of step.options)
        for (const word of [option.label, option.value, ...(option.synonyms ?? [])]) {
          const route = phrases.get(word);
          if (route)
            warnings.push({
              path: `${at}.options(${option.value})`,
              message: `选项「${word}」也是全局短语（${route}）：流程提问时它归流程，其他时候归「${route}」`,
            });
        }
    }
  });
  return { problems, warnings };
}

/**
 * Start-up guard: a flow that asks for an effect no feature provides (or with a payload it refuses) must never reach
 * a member. Throws with every problem named, like a flow file that does not compile.
 */
export function assertFlowContracts(flows: readonly CompiledFlow[], registry: Registry): void {
  const lines = flows.flatMap((f) =>
    checkFlowContracts(f, registry).problems.map((p) => `flow ${f.id}: ${p.path}: ${p.message}`),
  );
  if (lines.length > 0)
    throw new AppError({
      code: 'flow_invalid',
      message: `flows do not fit the features:\n${lines.join('\n')}`,
    });
}
