import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../src/flows/parseTime.js';
import { renderTemplate } from '../../../src/flows/templates.js';
import { isValidAnswer } from '../../../src/flows/answers.js';
import { baseDef, Chat, compileOk, NOW } from './helpers.js';

describe('parseTime', () => {
  it.each([
    ['14:30', '14:30'],
    ['9:05', '09:05'],
    ['14：30', '14:30'],
    [' １４：３０ ', '14:30'],
    ['9点', '09:00'],
    ['9点整', '09:00'],
    ['9点半', '09:30'],
    ['九点半', '09:30'],
    ['9点30分', '09:30'],
    ['9点30', '09:30'],
    ['14时30分', '14:30'],
    ['下午2点', '14:00'],
    ['下午两点半', '14:30'],
    ['下午3:15', '15:15'],
    ['下午14:30', '14:30'],
    ['晚上7点', '19:00'],
    ['上午10点一刻', '10:15'],
    ['中午12点', '12:00'],
    ['中午1点', '13:00'],
    ['上午9点', '09:00'],
    ['0:00', '00:00'],
    ['十点', '10:00'],
  ])('%s → %s', (text, want) => {
    expect(parseTime(text)).toBe(want);
  });

  it.each(['', '25:00', '14:60', '14:3', 'abc', '明天', '2026-12-01 14:30', '上午15点', '下午', '9点99分'])(
    '%s → null',
    (text) => {
      expect(parseTime(text)).toBeNull();
    },
  );
});

function timeFlow() {
  return compileOk({
    ...baseDef(),
    fields: { at: { label: '开始时间' } },
    start: 'ask_at',
    steps: [
      { id: 'ask_at', type: 'time', field: 'at', prompt: '几点开始？', maxRetries: 1 },
      { id: 'done', type: 'end', text: '定在 {{at}}' },
    ],
  });
}

describe('time step', () => {
  it('stores HH:mm and moves on', () => {
    const chat = new Chat(timeFlow(), NOW);
    expect(chat.text).toBe('几点开始？');
    chat.say('下午2点半');
    expect(chat.state.answers['at']).toBe('14:30');
    expect(chat.text).toBe('定在 14:30');
    expect(chat.last.status).toBe('done');
  });

  it('reasks on a time it cannot read, then exhausts', () => {
    const chat = new Chat(timeFlow(), NOW);
    chat.say('明天');
    expect(chat.text).toContain('没能识别这个时间');
    expect(chat.text).toContain('几点开始？');
    expect(chat.state.stepId).toBe('ask_at');
    chat.say('25:00');
    expect(chat.last.status).toBe('cancelled');
  });

  it('a stored answer is valid only in canonical form (migration check)', () => {
    const flow = timeFlow();
    const step = flow.steps.get('ask_at');
    if (step === undefined) throw new Error('no step');
    expect(isValidAnswer(flow, step, '09:30', NOW)).toBe(true);
    expect(isValidAnswer(flow, step, '9:30', NOW)).toBe(false);
    expect(isValidAnswer(flow, step, 930, NOW)).toBe(false);
  });
});

describe('{{field.id}} templates', () => {
  const flow = compileOk({
    ...baseDef(),
    fields: { who: { label: '委员' }, name: { label: '姓名' } },
    start: 'ask_who',
    steps: [
      { id: 'ask_who', type: 'member', field: 'who', prompt: '请输入姓名' },
      { id: 'ask_name', type: 'ask', field: 'name', prompt: '名字' },
      { id: 'done', type: 'end', text: '{{who.id}}' },
    ],
  });
  it("renders a member's userId, other answers raw, unanswered as empty", () => {
    const answers = { who: { userId: 'wangfang', name: '王芳', dept: '民盟' }, name: '张三' };
    expect(renderTemplate('{{who.id}}、{{who}}、{{who.label}}', answers, flow)).toBe(
      'wangfang、王芳、王芳（民盟）',
    );
    expect(renderTemplate('{{name.id}}|{{missing.id}}', answers, flow)).toBe('张三|');
    expect(renderTemplate('{{who.id?}}/{{name?}}/{{missing?}}/{{who.label?}}', answers, flow)).toBe(
      'wangfang/张三//王芳（民盟）',
    );
  });
});
