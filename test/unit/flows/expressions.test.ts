import { describe, expect, it } from 'vitest';
import type { ExprValue } from '../../../src/flows/expressions.js';
import { checkExpr, evalExpr, exprRefs, parseExpr } from '../../../src/flows/expressions.js';
import { baseDef } from './helpers.js';
import { compileFlow } from '../../../src/flows/compileFlow.js';

const values: Record<string, ExprValue> = {
  category: 'health',
  count: 3,
  tags: ['a', 'b'],
  agree: true,
  note: '',
};
const lookup = (f: string): ExprValue => (Object.hasOwn(values, f) ? (values[f] ?? null) : null);

function run(src: string): ExprValue {
  const r = parseExpr(src);
  if (!r.ok) throw new Error(r.error);
  return evalExpr(r.expr, lookup);
}

describe('expression language', () => {
  it.each<[string, ExprValue]>([
    ["category == 'health'", true],
    ['category != "health"', false],
    ['count > 2 && count <= 3', true],
    ['count >= 4 || agree', true],
    ['!agree', false],
    ['!(count < 1)', true],
    ['len(tags) == 2', true],
    ['len(category) == 6', true],
    ['empty(note) && !empty(tags)', true],
    ['empty(missing)', true],
    ['missing == 1', false],
    ["count > 'x'", false],
    ['true && false || true', true],
    ['1 == 1 && (2 > 3 || 4 >= 4)', true],
  ])('%s → %s', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it.each([
    '',
    'a ==',
    '(a == 1',
    'a == 1)',
    'a = 1',
    "a == 'x",
    'a == 1 ; b',
    'a ~ b',
    'len()x',
    'a == == b',
  ])('rejects %j', (src) => {
    expect(parseExpr(src).ok).toBe(false);
  });

  it('never evaluates JavaScript', () => {
    expect(parseExpr('constructor.constructor("return process")()').ok).toBe(false);
    expect(parseExpr('`x`').ok).toBe(false);
  });

  it('checks fields and functions at compile time', () => {
    const r = parseExpr('len(title) > 3 && nope(category) && ghost == 1 && empty(a, b)');
    if (!r.ok) throw new Error(r.error);
    expect(checkExpr(r.expr, new Set(['title', 'category', 'a', 'b']))).toEqual([
      '未知函数「nope」',
      '未知字段「ghost」',
      '函数 empty 需要 1 个参数',
    ]);
    expect(exprRefs(r.expr)).toEqual(['title', 'category', 'ghost', 'a', 'b']);
    expect(exprRefs(r.expr, true)).toEqual(['title', 'category', 'ghost']);
  });

  it('an unknown field in a branch fails compileFlow', () => {
    const def = baseDef();
    def['steps'] = [
      { id: 'ask_name', type: 'ask', field: 'name', prompt: '请输入姓名' },
      { id: 'check', type: 'branch', cases: [{ when: "nmae == 'x'", goto: 'done' }], else: 'done' },
      { id: 'done', type: 'end', text: '完成' },
    ];
    const r = compileFlow(def);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toEqual([{ path: 'steps.check.cases.0.when', message: '未知字段「nmae」' }]);
  });
});
