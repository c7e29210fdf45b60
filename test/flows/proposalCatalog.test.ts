import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFlow, parseFlowYaml } from '../../src/flows/index.js';
import type { CompiledFlow } from '../../src/flows/index.js';
import { DEFAULT_CATEGORIES, DEFAULT_HANDLING_UNITS } from '../../src/features/proposals/domain/index.js';

function proposalFlow(): CompiledFlow {
  const parsed = parseFlowYaml(readFileSync(new URL('../../flows/proposal.yaml', import.meta.url), 'utf8'));
  const r = parsed.ok ? compileFlow(parsed.value) : parsed;
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.flow;
}

const optionValues = (flow: CompiledFlow, stepId: string): string[] => {
  const s = flow.steps.get(stepId);
  return s?.type === 'choice' || s?.type === 'multi' ? s.options.map((o) => o.value) : [];
};

describe('flows/proposal.yaml repeats the domain defaults', () => {
  const flow = proposalFlow();

  it('level-1 categories and, behind the branch, each level-2 list', () => {
    expect(optionValues(flow, 'ask_category')).toEqual(DEFAULT_CATEGORIES.map((c) => c.name));
    const byCategory: Record<string, string> = {
      经济建设: 'ask_sub_economy',
      政治建设: 'ask_sub_politics',
      文化建设: 'ask_sub_culture',
      社会建设: 'ask_sub_society',
      生态文明建设: 'ask_sub_ecology',
    };
    for (const c of DEFAULT_CATEGORIES)
      expect(optionValues(flow, byCategory[c.name] ?? '')).toEqual(c.children);
  });

  it('handling units', () => {
    expect(optionValues(flow, 'ask_units')).toEqual(DEFAULT_HANDLING_UNITS);
  });

  it('submit is an action behind the summary, with the documented effects', () => {
    const effects = [...flow.steps.values()].flatMap((s) => (s.type === 'action' ? [s.effect] : []));
    expect(effects.sort()).toEqual(['proposal.check', 'proposal.submit']);
    const review = flow.steps.get('review');
    expect(review?.type === 'summary' ? review.onConfirm : null).toBe('submit');
  });
});
