import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/flows/compileFlow.js';

const flow = (fallback: string, field = 'detail') => ({
  schemaVersion: 1,
  id: 'leave',
  version: 1,
  title: '请假',
  fields: { kind: { label: '事由' }, detail: { label: '说明' } },
  start: 'ask_kind',
  steps: [
    {
      id: 'ask_kind',
      type: 'choice',
      field: 'kind',
      prompt: '事由？',
      options: [
        { value: 'trip', label: '出差' },
        { value: 'other', label: '其他' },
      ],
      freeText: { field, fallback },
    },
    { id: 'done', type: 'end', text: '好' },
  ],
});

describe('choice freeText', () => {
  it('compiles with a fallback that is an option value and a declared field', () => {
    expect(compileFlow(flow('other')).ok).toBe(true);
  });
  it('refuses a fallback that is no option, and an undeclared field', () => {
    const r = compileFlow(flow('其它', 'nope'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['steps.ask_kind.freeText.fallback', 'steps.ask_kind.freeText.field']),
    );
  });
});
