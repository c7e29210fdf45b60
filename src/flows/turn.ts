import { assertNever } from '../shared/errors.js';
import type { StepDef } from './schema.js';
import type { AnswerValue, CompiledFlow, Effect, FlowState, JsonValue, StepResult } from './types.js';
import { exprValue } from './answers.js';
import { evalExpr, isTruthy } from './expressions.js';
import { nextOf } from './graph.js';
import { renderQuestion, renderOptions, STOCK, stockText } from './render.js';
import { renderTemplate, splitText } from './templates.js';

/**
 * One call of `step`: a private, mutable copy of the state plus the replies and effects gathered so far.
 * Mutation never escapes: `step` clones the caller's state first, so the engine stays pure from outside.
 */
export interface Turn {
  readonly flow: CompiledFlow;
  readonly now: Date;
  readonly s: FlowState;
  readonly texts: string[];
  readonly effects: Effect[];
}

/** A cycle without a waiting step would otherwise spin forever; the linter cannot rule every such loop out. */
const MAX_HOPS = 200;
const MAX_HISTORY = 100;

export function say(turn: Turn, text: string): void {
  if (text.trim() !== '') turn.texts.push(text);
}

export function finish(turn: Turn): StepResult {
  const replies = turn.texts.flatMap((t) => splitText(t)).map((text) => ({ type: 'text' as const, text }));
  return { state: turn.s, replies, effects: turn.effects, status: turn.s.status };
}

export function answerOf(s: FlowState, field: string): AnswerValue | undefined {
  return Object.hasOwn(s.answers, field) ? s.answers[field] : undefined;
}

export function render(turn: Turn, text: string): string {
  return renderTemplate(text, turn.s.answers, turn.flow);
}

export function newEffectId(s: FlowState, stepId: string): string {
  s.seq += 1;
  return `${s.flowId}:${stepId}:${s.seq}`;
}

export function answersJson(answers: Readonly<Record<string, AnswerValue>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(answers)) {
    if (Array.isArray(v)) out[k] = [...v];
    else if (typeof v === 'object')
      out[k] = v.dept === undefined ? { userId: v.userId, name: v.name } : { ...v };
    else out[k] = v;
  }
  return out;
}

/** Ends the conversation as cancelled, asking the app to keep what was filled in as a draft. */
export function endCancelled(turn: Turn, text: string): void {
  const { s } = turn;
  say(turn, text);
  s.status = 'cancelled';
  s.waiting = null;
  s.returnTo = null;
  s.candidates = null;
  turn.effects.push({
    id: newEffectId(s, s.stepId),
    type: 'draft.keep',
    payload: { flowId: s.flowId, version: s.version, stepId: s.stepId, answers: answersJson(s.answers) },
    awaitsResult: false,
  });
}

export function ask(turn: Turn, step: StepDef): void {
  turn.s.stepId = step.id;
  say(turn, renderQuestion(turn.flow, turn.s, step));
}

/** The target of a branch step for the given answers: the first case whose condition holds, else `else`. */
export function branchTarget(
  flow: CompiledFlow,
  step: Extract<StepDef, { type: 'branch' }>,
  answers: Readonly<Record<string, AnswerValue>>,
): string {
  const conditions = flow.conditions.get(step.id) ?? [];
  const lookup = (field: string) => exprValue(Object.hasOwn(answers, field) ? answers[field] : undefined);
  const hit = step.cases.findIndex((_c, i) => {
    const cond = conditions[i];
    return cond !== undefined && isTruthy(evalExpr(cond, lookup));
  });
  return step.cases[hit]?.goto ?? step.else;
}

function startAction(turn: Turn, step: Extract<StepDef, { type: 'action' }>): void {
  const { s } = turn;
  const payload: Record<string, JsonValue> = {};
  for (const [k, tmpl] of Object.entries(step.payload ?? {})) payload[k] = render(turn, tmpl);
  if (step.includeAnswers) payload['answers'] = answersJson(s.answers);
  const id = newEffectId(s, step.id);
  if (step.text !== undefined) say(turn, render(turn, step.text));
  turn.effects.push({ id, type: step.effect, payload, awaitsResult: true });
  s.waiting = { effectId: id, stepId: step.id, kind: 'action' };
}

/**
 * Runs from `stepId` through steps that need no user input (message, branch, end) until a question is asked or an
 * action waits. While editing from a summary (`returnTo`), answered questions are skipped and messages muted,
 * so only invalidated answers are asked again before the summary comes back.
 */
export function enter(turn: Turn, stepId: string | undefined): void {
  const { s, flow } = turn;
  let id = stepId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const step = id === undefined ? undefined : flow.steps.get(id);
    if (step === undefined) return endCancelled(turn, STOCK.broken);
    s.stepId = step.id;
    switch (step.type) {
      case 'message':
        if (s.returnTo === null && step.text !== undefined) say(turn, render(turn, step.text));
        id = nextOf(step, flow.implicitNext);
        continue;
      case 'branch':
        id = branchTarget(flow, step, s.answers);
        continue;
      case 'end':
        if (step.text !== undefined) say(turn, render(turn, step.text));
        s.status = step.status ?? 'done';
        s.returnTo = null;
        return;
      case 'action':
        return startAction(turn, step);
      case 'summary':
        s.returnTo = null;
        return ask(turn, step);
      case 'confirm': {
        const v = step.field === undefined ? undefined : answerOf(s, step.field);
        if (s.returnTo !== null && typeof v === 'boolean') {
          id = v ? step.yes : step.no;
          continue;
        }
        return ask(turn, step);
      }
      case 'ask':
      case 'choice':
      case 'multi':
      case 'number':
      case 'date':
      case 'time':
      case 'member':
        if (s.returnTo !== null && step.reask !== true && answerOf(s, step.field) !== undefined) {
          id = nextOf(step, flow.implicitNext);
          continue;
        }
        return ask(turn, step);
      default:
        return assertNever(step, 'step');
    }
  }
  endCancelled(turn, STOCK.broken);
}

function sameValue(a: AnswerValue, b: AnswerValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Stores an answer (clearing dependents if it changed), records history, and moves on. */
export function acceptAnswer(turn: Turn, step: StepDef, field: string | undefined, value: AnswerValue): void {
  const { s, flow } = turn;
  if (field !== undefined) {
    const old = answerOf(s, field);
    s.answers[field] = value;
    delete s.defaults[field];
    if (old !== undefined && !sameValue(old, value)) {
      for (const d of flow.dependents.get(field) ?? []) delete s.answers[d];
    }
  }
  delete s.retries[step.id];
  s.candidates = null;
  if (s.history[s.history.length - 1] !== step.id) s.history.push(step.id);
  if (s.history.length > MAX_HISTORY) s.history.splice(0, s.history.length - MAX_HISTORY);
  if (step.type === 'confirm') return enter(turn, value === true ? step.yes : step.no);
  if (step.type === 'summary') return enter(turn, step.onConfirm);
  enter(turn, nextOf(step, flow.implicitNext));
}

/** The reprompt ladder: reason + reprompts[n-1] (last one repeated), until maxRetries is exceeded. */
export function rejectAnswer(turn: Turn, step: StepDef, reason: string): void {
  const { s } = turn;
  if (step.type === 'branch' || step.type === 'action' || step.type === 'message' || step.type === 'end') {
    return enter(turn, step.id);
  }
  const ladder = step.reprompts ?? [];
  const count = (s.retries[step.id] ?? 0) + 1;
  if (count > (step.maxRetries ?? 3)) {
    delete s.retries[step.id];
    s.candidates = null;
    const target = step.onExhausted;
    if (target === undefined) {
      return endCancelled(turn, render(turn, step.exhaustedText ?? stockText(turn.flow, 'exhausted')));
    }
    if (step.exhaustedText !== undefined) say(turn, render(turn, step.exhaustedText));
    return enter(turn, target);
  }
  s.retries[step.id] = count;
  const reprompt = ladder[Math.min(count, ladder.length) - 1];
  if (reprompt === undefined)
    return say(turn, [reason, renderQuestion(turn.flow, s, step)].filter((t) => t !== '').join('\n'));
  const options = step.type === 'choice' || step.type === 'multi' ? renderOptions(step.options) : '';
  say(turn, [reason, render(turn, reprompt), options].filter((t) => t !== '').join('\n'));
}
