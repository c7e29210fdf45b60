import { describe, expect, it } from 'vitest';
import { compileFlow, parseFlowYaml } from '../../../src/flows/compileFlow.js';
import type { Problem } from '../../../src/flows/types.js';
import { baseDef } from './helpers.js';

function problemsOf(steps: unknown[], extra: Record<string, unknown> = {}): Problem[] {
  const r = compileFlow({ ...baseDef(), ...extra, steps });
  return r.ok ? [] : r.problems;
}

const askName = { id: 'ask_name', type: 'ask', field: 'name', prompt: '请输入姓名' };
const done = { id: 'done', type: 'end', text: '完成' };

describe('lint rules (one failing fixture each)', () => {
  it('the base fixture is clean', () => {
    expect(problemsOf([askName, done])).toEqual([]);
  });

  it('dangling target', () => {
    expect(problemsOf([{ ...askName, next: 'nowhere' }, done])).toContainEqual({
      path: 'steps.ask_name',
      message: '指向不存在的步骤「nowhere」（next）',
    });
    expect(problemsOf([askName, done], { start: 'missing' })).toContainEqual({
      path: 'start',
      message: '起始步骤「missing」不存在',
    });
  });

  it('a step that falls off the end', () => {
    expect(problemsOf([askName])).toContainEqual({
      path: 'steps.ask_name.next',
      message: '没有下一步：请写 next，或在其后放一个步骤',
    });
  });

  it('unreachable step', () => {
    const orphan = { id: 'orphan', type: 'message', text: '孤儿', next: 'done' };
    expect(problemsOf([{ ...askName, next: 'done' }, orphan, done])).toEqual([
      { path: 'steps.orphan', message: '步骤「orphan」从起点无法到达' },
    ]);
  });

  it('field read before set: template on some path, and in a condition', () => {
    const fields = { name: { label: '姓名' }, phone: { label: '电话' } };
    const steps = [
      { id: 'gate', type: 'branch', cases: [{ when: "phone == '1'", goto: 'ask_phone' }], else: 'ask_name' },
      { id: 'ask_phone', type: 'ask', field: 'phone', prompt: '电话？' },
      { ...askName, prompt: '{{phone}}，请输入姓名' },
      done,
    ];
    expect(problemsOf(steps, { fields, start: 'gate' })).toEqual([
      { path: 'steps.gate', message: '读取字段「phone」时它可能尚未填写' },
      { path: 'steps.ask_name', message: '读取字段「phone」时它可能尚未填写' },
    ]);
  });

  it('empty(x) may test a field that is not set yet', () => {
    const fields = { name: { label: '姓名' }, phone: { label: '电话' } };
    const steps = [
      { id: 'gate', type: 'branch', cases: [{ when: 'empty(phone)', goto: 'ask_name' }], else: 'ask_name' },
      askName,
      done,
    ];
    expect(problemsOf(steps, { fields, start: 'gate' })).toEqual([]);
  });

  it('{{x?}} may read a field that is not set on every path (payloads); unknown fields still reported', () => {
    const fields = { name: { label: '姓名' }, phone: { label: '电话' } };
    const gate = {
      id: 'gate',
      type: 'branch',
      cases: [{ when: "name == 'a'", goto: 'ask_phone' }],
      else: 'save',
    };
    const askPhone = { id: 'ask_phone', type: 'ask', field: 'phone', prompt: '电话？', next: 'save' };
    const save = (phone: string) => ({
      id: 'save',
      type: 'action',
      effect: 'member.save',
      payload: { name: '{{name}}', phone },
      next: 'done',
    });
    const steps = (phone: string) => [askName, gate, askPhone, save(phone), done];
    expect(problemsOf(steps('{{phone}}'), { fields })).toEqual([
      { path: 'steps.save', message: '读取字段「phone」时它可能尚未填写' },
    ]);
    expect(problemsOf(steps('{{phone?}}'), { fields })).toEqual([]);
    expect(problemsOf(steps('{{phone.id?}}'), { fields })).toEqual([]);
    expect(problemsOf(steps('{{phnoe?}}'), { fields })).toEqual([
      { path: 'steps.save', message: '模板引用了未知字段「phnoe」' },
    ]);
  });

  it('unknown field in a template', () => {
    expect(problemsOf([askName, { ...done, text: '谢谢{{nmae}}' }])).toEqual([
      { path: 'steps.done', message: '模板引用了未知字段「nmae」' },
    ]);
  });

  it('submit reachable without a confirm', () => {
    const submit = { id: 'submit', type: 'action', effect: 'proposal.submit', next: 'done' };
    expect(problemsOf([askName, submit, done])).toEqual([
      { path: 'steps.submit', message: '提交类操作「submit」可以不经确认步骤到达' },
    ]);
    const confirm = { id: 'sure', type: 'confirm', prompt: '提交吗？', yes: 'submit', no: 'done' };
    expect(problemsOf([askName, confirm, submit, done])).toEqual([]);
    // `submit: true` marks any effect as submit-type
    const marked = { id: 'send', type: 'action', effect: 'notice.send', submit: true, next: 'done' };
    expect(problemsOf([askName, marked, done]).map((p) => p.path)).toEqual(['steps.send']);
  });

  it('text over 2048 UTF-8 bytes (683 CJK characters = 2049 bytes)', () => {
    const long = '长'.repeat(683);
    expect(problemsOf([{ ...askName, prompt: long }, done])).toEqual([
      { path: 'steps.ask_name.prompt', message: '文本 2049 字节，超过企业微信 2048 字节上限' },
    ]);
    expect(problemsOf([{ ...askName, prompt: '长'.repeat(682) }, done])).toEqual([]);
  });

  it('missing message: a question without its prompt, a message without text', () => {
    const { prompt: _omit, ...noPrompt } = askName;
    expect(problemsOf([noPrompt, done])).toEqual([{ path: 'steps.ask_name.prompt', message: '缺少提示语' }]);
    const silent = { id: 'hello', type: 'message', next: 'done' };
    expect(problemsOf([{ ...askName, next: 'hello' }, silent, done])).toEqual([
      { path: 'steps.hello.text', message: '缺少消息内容' },
    ]);
  });

  it('schema errors come back as problems with paths (strict keys, bad ids)', () => {
    const r = compileFlow({ ...baseDef(), steps: [{ ...askName, promt: 'typo' }, done] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.path).toBe('steps.0');
    const r2 = compileFlow({ ...baseDef(), id: 'Bad-Id' });
    expect(r2.ok ? [] : r2.problems.map((p) => p.path)).toEqual(['id']);
  });

  it('duplicate step ids, unknown fields, invalid patterns', () => {
    const problems = problemsOf([
      { ...askName, pattern: '([a-z' },
      { id: 'ask_name', type: 'ask', field: 'ghost', prompt: '？' },
      done,
    ]);
    expect(problems).toContainEqual({ path: 'steps.1.id', message: '步骤 id「ask_name」重复' });
    expect(problems).toContainEqual({
      path: 'steps.ask_name.field',
      message: '字段「ghost」没有在 fields 中声明',
    });
    expect(problems).toContainEqual({ path: 'steps.ask_name.pattern', message: '正则表达式无效：([a-z' });
  });

  it('YAML syntax errors are problems, not exceptions', () => {
    const r = parseFlowYaml('id: [unclosed');
    expect(r.ok).toBe(false);
  });
});
