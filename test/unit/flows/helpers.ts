import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { compileFlow } from '../../../src/flows/compileFlow.js';
import { step } from '../../../src/flows/step.js';
import type { CompiledFlow, FlowInput, FlowState, StepResult } from '../../../src/flows/types.js';

/** Wednesday 2026-11-25 10:00 in Asia/Shanghai. */
export const NOW = new Date('2026-11-25T10:00:00+08:00');

export function compileOk(def: unknown): CompiledFlow {
  const r = compileFlow(def);
  if (!r.ok) throw new Error(`expected the flow to compile:\n${JSON.stringify(r.problems, null, 2)}`);
  return r.flow;
}

export function loadYaml(path: string): unknown {
  return parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
}

export function exampleFlow(): CompiledFlow {
  return compileOk(loadYaml('flows/_examples/example.yaml'));
}

/** Drives a conversation; `say` sends text, `last` is the latest result. */
export class Chat {
  last: StepResult;
  constructor(
    readonly flow: CompiledFlow,
    readonly now: Date = NOW,
    args?: FlowInput & { type: 'start' },
  ) {
    this.last = step({ flow, state: null, input: args ?? { type: 'start' }, now });
  }
  get state(): FlowState {
    return this.last.state;
  }
  send(input: FlowInput): StepResult {
    this.last = step({ flow: this.flow, state: this.last.state, input, now: this.now });
    return this.last;
  }
  say(text: string): StepResult {
    return this.send({ type: 'text', text });
  }
  /** All reply texts of the last turn, joined. */
  get text(): string {
    return this.last.replies.map((r) => r.text).join('\n---\n');
  }
  /** Answers the effect the conversation is waiting for. */
  result(ok: boolean, data?: unknown): StepResult {
    const effectId = this.state.waiting?.effectId;
    if (effectId === undefined) throw new Error('the conversation is not waiting for an effect');
    return this.send(
      ok
        ? { type: 'effectResult', effectId, ok: true, data }
        : { type: 'effectResult', effectId, ok: false, error: 'boom' },
    );
  }
}

/** A minimal valid flow definition to derive fixtures from. */
export function baseDef(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'mini',
    version: 1,
    title: '测试',
    fields: { name: { label: '姓名' } },
    start: 'ask_name',
    steps: [
      { id: 'ask_name', type: 'ask', field: 'name', prompt: '请输入姓名' },
      { id: 'done', type: 'end', text: '完成，{{name}}' },
    ],
  };
}
