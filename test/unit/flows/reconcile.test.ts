import { describe, expect, it } from 'vitest';
import { isExpired, reconcileState } from '../../../src/flows/reconcile.js';
import { step } from '../../../src/flows/step.js';
import { matchTrigger } from '../../../src/flows/triggers.js';
import type { CompiledFlow } from '../../../src/flows/types.js';
import { Chat, compileOk, exampleFlow, loadYaml, NOW } from './helpers.js';

type Def = Record<string, unknown> & { steps: Record<string, unknown>[] };

function exampleDef(): Def {
  const def = loadYaml('flows/_examples/example.yaml');
  if (typeof def !== 'object' || def === null || !('steps' in def) || !Array.isArray(def.steps))
    throw new Error('bad example');
  return def as Def;
}

/** v2 of the example: options of ask_topics changed (education dropped), a policy chosen. */
function v2(policy: 'keep' | 'migrate' | 'restart'): CompiledFlow {
  const def = exampleDef();
  def['version'] = 2;
  def['flowChangePolicy'] = policy;
  const topics = def.steps.find((s) => s['id'] === 'ask_topics');
  if (topics)
    topics['options'] = [
      { value: 'economy', label: '经济发展' },
      { value: 'health', label: '医疗卫生' },
    ];
  return compileOk(def);
}

function inFlight(): Chat {
  const chat = new Chat(exampleFlow());
  for (const t of ['3', '办事流程太繁琐了', '1 2']) chat.say(t);
  expect(chat.state.stepId).toBe('ask_attend');
  return chat;
}

describe('reconcileState', () => {
  it('same hash: nothing to do', () => {
    const chat = inFlight();
    const r = reconcileState({ state: chat.state, current: chat.flow });
    expect(r).toEqual({ state: chat.state, flow: chat.flow });
  });

  it('pins id, version and content hash; the hash ignores key order', () => {
    const chat = inFlight();
    expect(chat.state).toMatchObject({ flowId: 'example_survey', version: 1 });
    expect(chat.state.hash).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    const reordered = Object.fromEntries(Object.entries(exampleDef()).reverse());
    expect(compileOk(reordered).hash).toBe(chat.state.hash);
    expect(v2('keep').hash).not.toBe(chat.state.hash);
  });

  it('keep: continues on the pinned flow; without it, falls back to restart', () => {
    const chat = inFlight();
    const current = v2('keep');
    const kept = reconcileState({ state: chat.state, current, pinned: chat.flow, now: NOW });
    expect(kept.flow).toBe(chat.flow);
    expect(kept.state).toBe(chat.state);
    expect(kept.notice).toBeUndefined();
    const lost = reconcileState({ state: chat.state, current, now: NOW });
    expect(lost.flow).toBe(current);
    expect(lost.state.stepId).toBe('ask_satisfaction');
    expect(lost.state.answers).toEqual({});
    expect(lost.state.hash).toBe(current.hash);
  });

  it('migrate: keeps answers that still validate and continues at the first unanswered step', () => {
    const chat = inFlight();
    const current = v2('migrate');
    const r = reconcileState({ state: chat.state, current, now: NOW });
    expect(r.notice).toContain('已保留您之前的回答');
    expect(r.state.answers).toEqual({ satisfaction: 'bad', reason: '办事流程太繁琐了' }); // topics had 'education'
    expect(r.state.stepId).toBe('ask_topics');
    expect(r.state.version).toBe(2);
    const resumed = step({ flow: r.flow, state: r.state, input: { type: 'resume' }, now: NOW });
    expect(resumed.replies[0]?.text).toContain('最关注哪些领域');
    expect(resumed.replies[0]?.text).not.toContain('教育');
  });

  it('migrate: a complete conversation comes back at the summary', () => {
    const chat = inFlight();
    chat.say('否');
    expect(chat.state.stepId).toBe('review');
    const def = exampleDef();
    def['version'] = 3;
    def['flowChangePolicy'] = 'migrate';
    const r = reconcileState({ state: chat.state, current: compileOk(def), now: NOW });
    expect(r.state.stepId).toBe('review');
    expect(r.state.answers['attend']).toBe(false);
  });

  it('restart: starts over offering the old answers as defaults (沿用)', () => {
    const chat = inFlight();
    const current = v2('restart');
    const r = reconcileState({ state: chat.state, current, now: NOW });
    expect(r.state.stepId).toBe('ask_satisfaction');
    expect(r.state.answers).toEqual({});
    expect(r.state.defaults).toMatchObject({ satisfaction: 'bad' });
    expect(r.notice).toContain('沿用');
    const asked = step({ flow: r.flow, state: r.state, input: { type: 'resume' }, now: NOW });
    expect(asked.replies[0]?.text).toContain('（当前：不满意。回复「沿用」保持不变）');
    const kept = step({ flow: r.flow, state: asked.state, input: { type: 'text', text: '沿用' }, now: NOW });
    expect(kept.state.answers['satisfaction']).toBe('bad');
    expect(kept.state.stepId).toBe('ask_reason');
  });

  it('a conversation waiting for an effect finishes it on the pinned flow first', () => {
    const chat = inFlight();
    for (const t of ['否', '确认']) chat.say(t);
    expect(chat.state.waiting?.kind).toBe('action');
    const r = reconcileState({ state: chat.state, current: v2('migrate'), pinned: chat.flow, now: NOW });
    expect(r.flow).toBe(chat.flow);
    expect(r.state).toBe(chat.state);
  });
});

describe('isExpired', () => {
  it('after 30 idle minutes by default, or a given idle time; only active conversations', () => {
    const chat = inFlight();
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(isExpired(chat.state, at(29 * 60_000))).toBe(false);
    expect(isExpired(chat.state, at(30 * 60_000))).toBe(true);
    expect(isExpired(chat.state, at(5 * 60_000), 5 * 60_000)).toBe(true);
    chat.say('取消');
    expect(isExpired(chat.state, at(60 * 60_000))).toBe(false);
  });
});

describe('matchTrigger', () => {
  const flows = [exampleFlow()];
  it('keywords (normalised) and menu keys', () => {
    expect(matchTrigger(flows, { type: 'text', text: '小调查' }, { role: 'member' })).toBe('example_survey');
    expect(matchTrigger(flows, { type: 'text', text: ' 满意度调查！' }, { role: 'member' })).toBe(
      'example_survey',
    );
    expect(matchTrigger(flows, { type: 'click', key: 'MENU_EXAMPLE_SURVEY' }, { role: 'member' })).toBe(
      'example_survey',
    );
  });
  it('no match otherwise', () => {
    expect(matchTrigger(flows, { type: 'text', text: '我要做小调查' }, { role: 'member' })).toBeNull();
    expect(matchTrigger(flows, { type: 'click', key: 'OTHER' }, { role: 'member' })).toBeNull();
    expect(matchTrigger(flows, { type: 'resume' }, { role: 'member' })).toBeNull();
  });
});

describe('start args', () => {
  it('become defaults for declared fields only', () => {
    const chat = new Chat(exampleFlow(), NOW, { type: 'start', args: { satisfaction: 'good', bogus: 'x' } });
    expect(chat.state.defaults).toEqual({ satisfaction: 'good' });
    expect(chat.text).toContain('（当前：满意。');
  });
});
