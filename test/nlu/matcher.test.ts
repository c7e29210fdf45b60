import { describe, expect, it } from 'vitest';
import { collectIntents, createMatcher, decideIntent, parseFaqYaml } from '../../src/nlu/index.js';
import { compileFlow } from '../../src/flows/index.js';
import { loadUnderstanding } from '../../src/cli/nluEval.js';

const flow = (id: string, keywords: string[], examples: string[], audience?: 'staff') => {
  const r = compileFlow({
    schemaVersion: 1,
    id,
    version: 1,
    title: id,
    ...(audience ? { audience } : {}),
    triggers: { keywords, examples },
    fields: {},
    start: 'end',
    steps: [{ id: 'end', type: 'end', text: '好' }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.flow;
};

const flows = [
  flow('write', ['写提案'], ['我想写个提案', '起草一份提案']),
  flow('status', ['我的提案'], ['我的提案到哪一步了', '提案办得怎么样了']),
  flow('compose', ['发通知'], ['发个会议通知'], 'staff'),
];
const routes = [
  { name: 'notice', examples: { 参加: ['收到，准时参加', '我参加'], 请假: ['我请假', '来不了'] } },
];

describe('matcher', () => {
  const matcher = createMatcher(collectIntents(flows, routes, []));

  it('ranks the intent whose examples the text resembles, ignoring width and punctuation', () => {
    expect(matcher.rank('我想写一个提案！', 'member')[0]?.intent.id).toBe('write');
    expect(matcher.rank('收到，准时参加。', 'member')[0]?.intent.id).toBe('notice:参加');
    expect(matcher.rank('收到,准时参加', 'member')[0]?.intent.id).toBe('notice:参加');
  });

  it('never offers a member a staff flow', () => {
    expect(matcher.rank('发个会议通知', 'member').map((r) => r.intent.id)).not.toContain('compose');
    expect(matcher.rank('发个会议通知', 'staff')[0]?.intent.id).toBe('compose');
  });

  it('acts when confident, asks when two are close, and gives up on unrelated text', () => {
    expect(decideIntent(matcher, '我的提案到哪一步了？', 'member')).toMatchObject({
      type: 'act',
      intent: { id: 'status' },
    });
    expect(decideIntent(matcher, '股票涨了', 'member')).toEqual({ type: 'none' });
  });

  it('asks which is meant for a bare 提案 (the thresholds are tuned on the real intents)', async () => {
    const real = await loadUnderstanding('flows');
    const ask = decideIntent(real.matcher, '提案', 'member');
    expect(ask.type === 'ask' ? ask.intents.map((i) => i.id) : ask).toEqual(['proposal', 'proposal_status']);
  });

  it('prefers the FAQ for a how-to question, and never reads a question as an answer to a notice', async () => {
    const real = await loadUnderstanding('flows');
    const top = (text: string): string | undefined => real.matcher.rank(text, 'member')[0]?.intent.id;
    expect(top('请假要怎么弄')).toBe('faq.leave_howto');
    expect(top('写提案要注意哪些')).toBe('faq.write_howto');
    expect(real.matcher.rank('可以参加吗', 'member')[0]?.score ?? 0).toBeLessThan(
      real.matcher.rank('可以参加', 'member')[0]?.score ?? 0,
    );
    expect(decideIntent(real.matcher, '？？', 'member')).toMatchObject({
      type: 'act',
      intent: { id: 'help' },
    });
  });

  it('is deterministic: the same training gives the same ranking', () => {
    const again = createMatcher(collectIntents(flows, routes, []));
    expect(again.rank('提案怎么样', 'staff')).toEqual(matcher.rank('提案怎么样', 'staff'));
  });
});

describe('what a sentence says beyond its intent', () => {
  it('keeps the title word of 「我那个养老的提案到哪一步了」 for 我的提案, and nothing of a plain request', async () => {
    const real = await loadUnderstanding('flows');
    const status = real.matcher.intents.find((i) => i.id === 'proposal_status')!;
    expect(real.matcher.rest('我那个养老的提案到哪一步了', status)).toBe('养老');
    expect(real.matcher.rest('我的提案到哪一步了？', status)).toBeNull();
  });
});

describe('faq file', () => {
  it('accepts the documented format and names every problem', () => {
    const good = parseFaqYaml(
      'schemaVersion: 1\nentries:\n  - { id: a, question: 问, examples: [一, 二, 三], answer: 答 }\n',
    );
    expect(good.ok).toBe(true);
    const bad = parseFaqYaml(
      'schemaVersion: 1\nentries:\n  - { id: a, question: 问, examples: [一], answer: 答, anwser: x }\n',
    );
    expect(bad.ok ? [] : bad.problems.join('\n')).toMatch(/examples[\s\S]*anwser|anwser[\s\S]*examples/);
  });
});
