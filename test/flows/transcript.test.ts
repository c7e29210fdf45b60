import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../src/flows/index.js';
import type { CompiledFlow } from '../../src/flows/index.js';
import { playCase, TranscriptFileSchema } from './transcript.js';

function miniFlow(): CompiledFlow {
  const r = compileFlow({
    schemaVersion: 1,
    id: 'mini',
    version: 1,
    title: '测试',
    fields: { name: { label: '姓名' }, no: { label: '编号' } },
    start: 'ask_name',
    steps: [
      { id: 'ask_name', type: 'ask', field: 'name', prompt: '请输入姓名' },
      {
        id: 'save',
        type: 'action',
        effect: 'mini.save',
        payload: { name: '{{name}}' },
        saveAs: { no: 'no' },
      },
      { id: 'done', type: 'end', text: '完成，编号 {{no}}' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.flow;
}

const file = (cases: unknown) => TranscriptFileSchema.parse({ flow: 'mini', cases });

describe('transcript runner', () => {
  it('passes a correct script (plain start added when the first turn is not a start)', () => {
    const f = file([
      {
        name: 'ok',
        turns: [
          { user: '张三', effects: ['mini.save'], payload: { name: '张三' }, silent: true },
          {
            effect: { type: 'mini.save', data: { no: 7 } },
            bot: ['完成，编号 7'],
            status: 'done',
            answers: { no: 7 },
          },
        ],
      },
    ]);
    expect(playCase(miniFlow(), f, f.cases[0]!)).toEqual([]);
  });

  it('reports each unmet expectation with the turn', () => {
    const f = file([
      {
        name: 'wrong',
        turns: [
          { start: {}, bot: ['不存在的话'], step: 'done' },
          { user: '张三', effects: [], payload: { name: '李四' } },
          { effect: { type: 'other.effect', data: {} }, status: 'cancelled', answers: { no: 1 } },
          { effect: { type: 'mini.save' } },
        ],
      },
    ]);
    const messages = playCase(miniFlow(), f, f.cases[0]!).map((x) => `${x.turn}: ${x.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '0: bot should say 「不存在的话」',
        '0: step should be done',
        '1: effects should be []',
        '1: payload should contain {"name":"李四"}',
        '2: the pending effect is mini.save, not other.effect',
        '2: status should be cancelled',
        '2: answer no should be 1',
        '3: no effect is pending for the scripted mini.save result',
      ]),
    );
  });

  it('plays the turns of a `from` case first without checking them', () => {
    const f = file([
      { name: 'base', turns: [{ start: {}, bot: ['这句不检查'] }, { user: '张三' }] },
      {
        name: 'next',
        from: 'base',
        turns: [{ effect: { type: 'mini.save', data: { no: 1 } }, status: 'done' }],
      },
    ]);
    expect(playCase(miniFlow(), f, f.cases[1]!)).toEqual([]);
  });
});
