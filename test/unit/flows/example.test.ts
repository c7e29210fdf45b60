import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/flows/compileFlow.js';
import { flowJsonSchema } from '../../../src/flows/schema.js';
import { Chat, exampleFlow, loadYaml } from './helpers.js';

describe('flows/_examples/example.yaml', () => {
  it('compiles with no lint problems', () => {
    const r = compileFlow(loadYaml('flows/_examples/example.yaml'));
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('infers that reason depends on satisfaction (branch) and meetingDate on attend (declared)', () => {
    const flow = exampleFlow();
    expect(flow.dependents.get('satisfaction')).toEqual(['reason']);
    expect(flow.dependents.get('attend')).toEqual(['meetingDate']);
    expect(flow.dependents.get('topics')).toEqual([]);
  });

  it('runs the happy path to a submit effect and ends with the receipt number', () => {
    const chat = new Chat(exampleFlow());
    expect(chat.text).toContain('您对今年的履职服务满意吗');
    expect(chat.text).toContain('3. 不满意');
    chat.say('３');
    expect(chat.text).toContain('不满意的原因');
    chat.say('办事流程太繁琐了');
    expect(chat.text).toContain('最关注哪些领域');
    chat.say('1、3');
    chat.say('好的');
    expect(chat.text).toContain('哪天');
    chat.say('下周三');
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('1. 满意度：不满意');
    expect(chat.text).toContain('3. 关注领域：经济发展、医疗卫生');
    expect(chat.text).toContain('5. 座谈日期：2026年12月2日');
    chat.say('确认');
    expect(chat.text).toBe('正在提交……');
    const effect = chat.last.effects[0];
    expect(effect?.type).toBe('survey.submit');
    expect(effect?.awaitsResult).toBe(true);
    expect(effect?.payload).toEqual({
      title: '履职服务满意度小调查',
      answers: {
        satisfaction: 'bad',
        reason: '办事流程太繁琐了',
        topics: ['economy', 'health'],
        attend: true,
        meetingDate: '2026-12-02',
      },
    });
    chat.result(true, { no: 'S-0042' });
    expect(chat.text).toBe('提交成功，回执编号 S-0042。感谢您的参与！');
    expect(chat.last.status).toBe('done');
  });

  it('goes to onError when the submit fails', () => {
    const chat = new Chat(exampleFlow());
    for (const t of ['1', '2', '否', '提交']) chat.say(t);
    chat.result(false);
    expect(chat.last.status).toBe('cancelled');
    expect(chat.text).toContain('提交没有成功');
  });

  it('has a JSON Schema', () => {
    const schema = flowJsonSchema();
    expect(schema['type']).toBe('object');
    expect(JSON.stringify(schema)).toContain('flowChangePolicy');
  });
});
