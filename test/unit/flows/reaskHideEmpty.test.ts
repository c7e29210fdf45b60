import { describe, expect, it } from 'vitest';
import { Chat, baseDef, compileOk } from './helpers.js';

/** A two-level choice behind a branch, an optional part, a summary hiding empty fields, and a re-ask step. */
function flow() {
  return compileOk({
    ...baseDef(),
    fields: {
      kind: { label: '类别' },
      sub: { label: '细类', dependsOn: ['kind'] },
      extra: { label: '补充' },
      note: { label: '备注' },
      ok: { label: '确认' },
    },
    start: 'ask_kind',
    steps: [
      {
        id: 'ask_kind',
        type: 'choice',
        field: 'kind',
        prompt: '类别？',
        options: [
          { value: 'a', label: '甲' },
          { value: 'b', label: '乙' },
        ],
      },
      { id: 'route', type: 'branch', cases: [{ when: "kind == 'b'", goto: 'ask_sub_b' }], else: 'ask_sub_a' },
      {
        id: 'ask_sub_a',
        type: 'choice',
        field: 'sub',
        prompt: '甲的细类？',
        options: [
          { value: 'a1', label: '甲一' },
          { value: 'a2', label: '甲二' },
        ],
        next: 'ask_note',
      },
      {
        id: 'ask_sub_b',
        type: 'choice',
        field: 'sub',
        prompt: '乙的细类？',
        options: [
          { value: 'b1', label: '乙一' },
          { value: 'b2', label: '乙二' },
        ],
        next: 'ask_note',
      },
      { id: 'ask_note', type: 'ask', field: 'note', prompt: '备注？' },
      {
        id: 'gate',
        type: 'branch',
        cases: [{ when: "note == '重写'", goto: 'rewrite' }],
        else: 'want_extra',
      },
      { id: 'rewrite', type: 'ask', field: 'note', reask: true, prompt: '请重新写备注：', next: 'gate' },
      {
        id: 'want_extra',
        type: 'confirm',
        field: 'ok',
        prompt: '要补充吗？',
        yes: 'ask_extra',
        no: 'review',
      },
      { id: 'ask_extra', type: 'ask', field: 'extra', prompt: '补充？' },
      {
        id: 'review',
        type: 'summary',
        fields: ['kind', 'sub', 'extra', 'note'],
        hideEmpty: true,
        onConfirm: 'done',
      },
      { id: 'done', type: 'end', text: '完成' },
    ],
  });
}

describe('summary hideEmpty, edits go to the step that asked, reask steps', () => {
  it('hides unanswered fields and numbers only the lines shown', () => {
    const chat = new Chat(flow());
    for (const t of ['乙', '2', '好', '否']) chat.say(t);
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('1. 类别：乙\n2. 细类：乙二\n3. 备注：好');
    expect(chat.text).not.toContain('补充');
    chat.say('修改 3');
    expect(chat.state.stepId).toBe('ask_note');
    chat.say('很好');
    chat.say('否'); // ok is a branch-inferred dependent of note, so it is asked again
    expect(chat.text).toContain('3. 备注：很好');
    chat.say('改补充'); // a hidden field is still reachable by its label
    expect(chat.state.stepId).toBe('ask_extra');
  });

  it('editing a field asked behind a branch goes back to the question this conversation saw', () => {
    const chat = new Chat(flow());
    for (const t of ['乙', '1', '好', '否']) chat.say(t);
    chat.say('修改 2');
    expect(chat.state.stepId).toBe('ask_sub_b');
    expect(chat.text).toContain('乙的细类');
    chat.say('乙二');
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('2. 细类：乙二');
  });

  it('a reask step is asked without the current value, even on the way back to a summary', () => {
    const chat = new Chat(flow());
    for (const t of ['甲', '1']) chat.say(t);
    chat.say('重写');
    expect(chat.state.stepId).toBe('rewrite');
    expect(chat.text).toBe('请重新写备注：');
    chat.say('好');
    chat.say('否');
    expect(chat.state.stepId).toBe('review');
    chat.say('修改 3');
    chat.say('重写');
    expect(chat.state.stepId).toBe('rewrite');
    chat.say('可以了');
    expect(chat.state.stepId).toBe('want_extra'); // branch-inferred dependent of note, cleared by the change
    chat.say('否');
    expect(chat.state.stepId).toBe('review');
    expect(chat.text).toContain('3. 备注：可以了');
  });
});
