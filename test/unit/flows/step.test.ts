import { describe, expect, it } from 'vitest';
import { step } from '../../../src/flows/step.js';
import type { CompiledFlow } from '../../../src/flows/types.js';
import { baseDef, Chat, compileOk, exampleFlow, NOW } from './helpers.js';

function flowOf(
  steps: unknown[],
  fields: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): CompiledFlow {
  return compileOk({ ...baseDef(), fields, start: (steps[0] as { id: string }).id, steps, ...extra });
}
const done = { id: 'done', type: 'end', text: '完成' };

describe('step kinds', () => {
  it('ask: length and pattern checks with reasons', () => {
    const flow = flowOf(
      [
        {
          id: 'q',
          type: 'ask',
          field: 'title',
          prompt: '标题？',
          minLength: 5,
          maxLength: 10,
          pattern: '[^0-9]+',
          patternHint: '不能含数字。',
        },
        { ...done, text: '标题：{{title}}' },
      ],
      { title: { label: '标题' } },
    );
    const chat = new Chat(flow);
    expect(chat.text).toBe('标题？');
    chat.say('短');
    expect(chat.text).toBe('至少需要 5 个字，目前 1 个字。\n标题？');
    chat.say('一二三四五六七八九十十');
    expect(chat.text).toContain('您发来的内容有 11 个字，超过了这一项 10 个字的上限');
    chat.say('关于1号楼');
    expect(chat.text).toBe('不能含数字。\n标题？');
    chat.say('  关于老旧小区  ');
    expect(chat.text).toBe('标题：关于老旧小区');
    expect(chat.last.status).toBe('done');
  });

  it('choice: by full-width digit, Chinese numeral, label; renders numbered options', () => {
    const flow = exampleFlow();
    for (const [answer, value] of [
      ['１', 'good'],
      ['二', 'fair'],
      ['不太满意', 'bad'],
      ['一般', 'fair'],
    ] as const) {
      const chat = new Chat(flow);
      chat.say(answer);
      expect(chat.state.answers['satisfaction']).toBe(value);
    }
  });

  it('multi: several separators, and min/max items', () => {
    const chat = new Chat(exampleFlow());
    chat.say('1');
    chat.say('1 2 3 4');
    expect(chat.text).toContain('最多选择 3 项。');
    chat.say('2,4');
    expect(chat.state.answers['topics']).toEqual(['education', 'environment']);
  });

  it('number: integer and range', () => {
    const flow = flowOf(
      [{ id: 'q', type: 'number', field: 'age', prompt: '年龄？', min: 18, max: 100, integer: true }, done],
      { age: { label: '年龄' } },
    );
    const chat = new Chat(flow);
    chat.say('十五');
    expect(chat.text).toContain('不能小于 18。');
    chat.say('30.5');
    expect(chat.text).toContain('请输入整数。');
    chat.say('abc');
    expect(chat.text).toContain('请输入数字。');
    chat.say('４５');
    expect(chat.state.answers['age']).toBe(45);
  });

  it('date: relative to now in Shanghai, with a min bound', () => {
    const chat = new Chat(exampleFlow());
    for (const t of ['1', '1', '是']) chat.say(t);
    chat.say('2026-11-01');
    expect(chat.text).toContain('2026年11月1日已经过去了，请回复今天或以后的日期。');
    chat.say('随便哪天');
    expect(chat.text).toContain('没能识别这个日期');
    chat.say('明天');
    expect(chat.state.answers['meetingDate']).toBe('2026-11-26');
  });

  it('confirm: yes/no words route to yes/no and store a boolean', () => {
    const chat = new Chat(exampleFlow());
    for (const t of ['1', '1']) chat.say(t);
    chat.say('也许');
    expect(chat.text).toContain('请回复「是」或「否」。');
    chat.say('不');
    expect(chat.state.answers['attend']).toBe(false);
    expect(chat.state.stepId).toBe('review');
  });

  it('message and branch steps run without input', () => {
    const flow = flowOf(
      [
        { id: 'hi', type: 'message', text: '欢迎' },
        { id: 'q', type: 'number', field: 'n', prompt: '数字？' },
        { id: 'b', type: 'branch', cases: [{ when: 'n > 10', goto: 'big' }], else: 'small' },
        { id: 'big', type: 'end', text: '大' },
        { id: 'small', type: 'end', text: '小' },
      ],
      { n: { label: '数' } },
    );
    const chat = new Chat(flow);
    expect(chat.last.replies.map((r) => r.text)).toEqual(['欢迎', '数字？']);
    chat.say('11');
    expect(chat.text).toBe('大');
  });
});

describe('member pick', () => {
  const flow = flowOf(
    [
      { id: 'who', type: 'member', field: 'cosigner', prompt: '请输入联名委员姓名' },
      { ...done, text: '已选：{{cosigner}}' },
    ],
    { cosigner: { label: '联名委员' } },
  );

  it('emits members.search and waits; one result is taken', () => {
    const chat = new Chat(flow);
    chat.say('张三');
    expect(chat.last.effects).toEqual([
      { id: 'mini:who:1', type: 'members.search', payload: { query: '张三' }, awaitsResult: true },
    ]);
    expect(chat.state.waiting?.kind).toBe('memberSearch');
    chat.say('在吗');
    expect(chat.text).toBe('正在处理上一条请求，请稍候……');
    chat.result(true, { members: [{ userId: 'zs', name: '张三' }] });
    expect(chat.text).toBe('已选：张三');
    expect(chat.state.answers['cosigner']).toEqual({ userId: 'zs', name: '张三' });
  });

  it('zero results: says so and re-asks (a retry); several: pick by number', () => {
    const chat = new Chat(flow);
    chat.say('王五');
    chat.result(true, { members: [] });
    expect(chat.text).toBe('没有找到「王五」，请检查姓名后重新输入。\n请输入联名委员姓名');
    expect(chat.state.retries['who']).toBe(1);
    chat.say('李');
    chat.result(true, [
      { userId: 'l1', name: '李明', dept: '经济界' },
      { userId: 'l2', name: '李华', dept: '教育界' },
    ]);
    expect(chat.text).toBe(
      '找到 2 位，请回复序号选择（或重新输入姓名）：\n1. 李明（经济界）\n2. 李华（教育界）',
    );
    chat.say('3');
    expect(chat.text).toContain('请回复 1-2 之间的序号。');
    chat.say('第二个');
    expect(chat.state.answers['cosigner']).toEqual({ userId: 'l2', name: '李华', dept: '教育界' });
  });

  it('a failed search re-asks without counting; stale or duplicate results are ignored', () => {
    const chat = new Chat(flow);
    chat.say('张三');
    const pending = chat.last.effects[0];
    chat.result(false);
    expect(chat.text).toContain('查询委员名单失败');
    const before = chat.state;
    chat.send({ type: 'effectResult', effectId: pending?.id ?? '', ok: true, data: [] });
    expect(chat.last.replies).toEqual([]);
    expect(chat.state).toEqual(before);
  });
});

describe('reprompt ladder and exhaustion', () => {
  it('reprompt[0], then reprompt[1] repeated, then exhausted → cancelled with the draft kept', () => {
    const chat = new Chat(exampleFlow()); // maxRetries 2
    chat.say('很好');
    expect(chat.text).toBe(
      '请回复 1-3 之间的序号或选项名称。\n请回复 1、2 或 3。\n1. 满意\n2. 一般\n3. 不满意',
    );
    chat.say('非常好');
    expect(chat.text).toContain('例如回复「1」表示满意');
    chat.say('超级好');
    expect(chat.last.status).toBe('cancelled');
    expect(chat.text).toContain('多次没能识别您的回答');
    expect(chat.last.effects.map((e) => e.type)).toEqual(['draft.keep']);
  });

  it('onExhausted goes to another step; a valid answer resets the count', () => {
    const flow = flowOf(
      [
        {
          id: 'q',
          type: 'number',
          field: 'n',
          prompt: '数字？',
          maxRetries: 1,
          onExhausted: 'fallback',
          exhaustedText: '换个方式问。',
        },
        { id: 'q2', type: 'number', field: 'm', prompt: '再来一个？', next: 'done' },
        { id: 'fallback', type: 'ask', field: 'note', prompt: '请用文字描述', next: 'done' },
        done,
      ],
      { n: { label: 'n' }, m: { label: 'm' }, note: { label: '说明' } },
    );
    const chat = new Chat(flow);
    chat.say('x');
    expect(chat.state.retries['q']).toBe(1);
    chat.say('y');
    expect(chat.last.replies.map((r) => r.text)).toEqual(['换个方式问。', '请用文字描述']);
    expect(chat.state.stepId).toBe('fallback');
    const again = new Chat(flow);
    again.say('x');
    again.say('5');
    expect(again.state.retries).toEqual({});
  });
});

describe('commands', () => {
  it('取消 leaves with status cancelled and a draft.keep effect (also while waiting for an effect)', () => {
    const chat = new Chat(exampleFlow());
    chat.say('1');
    chat.say('取消');
    expect(chat.last.status).toBe('cancelled');
    expect(chat.text).toContain('已保存为草稿');
    expect(chat.last.effects[0]).toMatchObject({
      type: 'draft.keep',
      payload: { flowId: 'example_survey', answers: { satisfaction: 'good' } },
    });
    chat.say('1');
    expect(chat.last.replies).toEqual([]); // finished conversations ignore input
  });

  it('返回 / 上一步 goes to the previous question, showing the current answer; 沿用 keeps it', () => {
    const chat = new Chat(exampleFlow());
    chat.say('3');
    chat.say('办事流程太繁琐了');
    chat.say('上一步');
    expect(chat.state.stepId).toBe('ask_reason');
    expect(chat.text).toContain('（当前：办事流程太繁琐了。回复「沿用」保持不变）');
    chat.say('返回');
    expect(chat.state.stepId).toBe('ask_satisfaction');
    chat.say('返回');
    expect(chat.text).toContain('已经是第一步了。');
    chat.say('沿用');
    expect(chat.state.stepId).toBe('ask_reason');
    chat.say('沿用');
    expect(chat.state.stepId).toBe('ask_topics');
    chat.say('沿用');
    expect(chat.text).toContain('这一项还没有填写过');
  });

  it('帮助 shows the step help then the same question; it is not a retry', () => {
    const chat = new Chat(exampleFlow());
    chat.say('帮助');
    expect(chat.last.replies.map((r) => r.text)).toEqual([
      '回复选项前的序号即可，也可以直接回复「满意」「一般」「不满意」。',
      '您对今年的履职服务满意吗？请回复序号。\n1. 满意\n2. 一般\n3. 不满意',
    ]);
    chat.say('1');
    chat.say('？');
    expect(chat.text).toContain('可随时发送「返回」');
    expect(chat.state.retries).toEqual({});
  });

  it('重新开始 clears the answers and asks the first question again', () => {
    const chat = new Chat(exampleFlow());
    chat.say('1');
    chat.say('1');
    chat.say('重新开始');
    expect(chat.state.answers).toEqual({});
    expect(chat.state.stepId).toBe('ask_satisfaction');
    expect(chat.last.replies[0]?.text).toBe('好的，重新开始。');
  });

  it('synonyms are declared per flow', () => {
    const flow = flowOf(
      [{ id: 'q', type: 'ask', field: 'name', prompt: '姓名？' }, done],
      { name: { label: '姓名' } },
      { commands: { cancel: ['不干了'] } },
    );
    const chat = new Chat(flow);
    chat.say('取消');
    expect(chat.state.answers['name']).toBe('取消');
    const other = new Chat(flow);
    other.say('不干了！');
    expect(other.last.status).toBe('cancelled');
  });
});

describe('edit from the summary', () => {
  function atSummary(): Chat {
    const chat = new Chat(exampleFlow());
    for (const t of ['1', '1 2', '否']) chat.say(t);
    expect(chat.state.stepId).toBe('review');
    return chat;
  }

  it('修改 N edits one answer and comes straight back to the summary', () => {
    const chat = atSummary();
    chat.say('修改 3');
    expect(chat.state.stepId).toBe('ask_topics');
    expect(chat.state.returnTo).toBe('review');
    chat.say('4');
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('3. 关注领域：生态环境');
  });

  it('改<label> works too; an invalid new value keeps the old one until a valid one arrives', () => {
    const chat = atSummary();
    chat.say('改关注领域');
    chat.say('9');
    expect(chat.state.answers['topics']).toEqual(['economy', 'education']);
    chat.say('3');
    expect(chat.state.stepId).toBe('review');
  });

  it('a changed answer re-asks only its dependents (branch-inferred and declared)', () => {
    const chat = atSummary();
    chat.say('修改第一项');
    chat.say('不满意'); // satisfaction changes → the branch now needs reason
    expect(chat.state.stepId).toBe('ask_reason');
    chat.say('服务不够及时');
    expect(chat.state.stepId).toBe('review'); // topics not asked again
    chat.say('改4');
    chat.say('是'); // attend false → true: meetingDate (declared dependsOn) is now needed
    expect(chat.state.stepId).toBe('ask_date');
    chat.say('本周五');
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('5. 座谈日期：2026年11月27日');
    chat.say('改4');
    chat.say('否'); // true → false clears meetingDate
    expect(chat.state.answers['meetingDate']).toBeUndefined();
    expect(chat.text).toContain('5. 座谈日期：（未填）');
  });

  it('an unknown item number is a retry; unrecognised text shows the hint', () => {
    const chat = atSummary();
    chat.say('修改 9');
    expect(chat.text).toContain('没有第 9 项。');
    chat.say('嗯？');
    expect(chat.text).toContain('回复「确认」提交');
  });
});

describe('purity', () => {
  it('is deterministic and never mutates its input state', () => {
    const flow = exampleFlow();
    const first = step({ flow, state: null, input: { type: 'start' }, now: NOW });
    const frozen = JSON.stringify(first.state);
    const a = step({ flow, state: first.state, input: { type: 'text', text: '3' }, now: NOW });
    const b = step({ flow, state: first.state, input: { type: 'text', text: '3' }, now: NOW });
    expect(a).toEqual(b);
    expect(JSON.stringify(first.state)).toBe(frozen);
    const script = ['3', '太慢了，等很久', '1 3', '是', '下周三', '改2', '还是太慢了', '确认'];
    const runOnce = () => {
      const chat = new Chat(flow);
      return script.map((t) => chat.say(t));
    };
    expect(runOnce()).toEqual(runOnce());
  });

  it('is total: odd inputs never throw', () => {
    const flow = exampleFlow();
    const chat = new Chat(flow);
    for (const t of [
      '',
      '   ',
      '\u0000',
      '修改',
      '改',
      '{{satisfaction}}',
      'x'.repeat(10_000),
      '１２３４５６７８９０',
    ]) {
      expect(() => chat.say(t)).not.toThrow();
    }
    expect(() => chat.send({ type: 'effectResult', effectId: 'nope', ok: true })).not.toThrow();
    expect(() =>
      step({ flow, state: { ...chat.state, stepId: 'gone' }, input: { type: 'text', text: '1' }, now: NOW }),
    ).not.toThrow();
  });

  it('splits replies over 2048 bytes', () => {
    const flow = flowOf(
      [
        { id: 'q', type: 'ask', field: 'body', prompt: '正文？', maxLength: 2000 },
        { ...done, text: '{{body}}' },
      ],
      { body: { label: '正文' } },
    );
    const chat = new Chat(flow);
    chat.say('字'.repeat(1000));
    expect(chat.last.replies.length).toBe(2);
    expect(chat.last.replies.map((r) => r.text).join('')).toBe('字'.repeat(1000));
  });
});
