import { assertNever } from '../shared/errors.js';
import type { AnswerValue, CompiledFlow, FlowState } from './types.js';
import { isValidAnswer } from './answers.js';
import { isInputStep, nextOf } from './graph.js';
import { initialState } from './step.js';
import { branchTarget } from './turn.js';

export interface ReconcileArgs {
  state: FlowState;
  /** The flow as deployed now. */
  current: CompiledFlow;
  /** The compiled flow the state is pinned to (same hash), if the app still has it. */
  pinned?: CompiledFlow;
  /** For re-validating date answers against `today` bounds; defaults to the state's last update. */
  now?: Date;
}

export interface ReconcileResult {
  state: FlowState;
  /** The flow to pass to `step` from now on (the pinned one under `keep`). */
  flow: CompiledFlow;
  /** Tell the user (Chinese) before the next question; absent when nothing changed for them. */
  notice?: string;
}

export const DEFAULT_IDLE_MS = 30 * 60 * 1000;

/** An active conversation untouched for `idleMs` (default 30 minutes) has expired; the app keeps it as a draft. */
export function isExpired(state: FlowState, now: Date, idleMs = DEFAULT_IDLE_MS): boolean {
  return state.status === 'active' && now.getTime() - state.updatedAt >= idleMs;
}

/**
 * Applies the current flow's `flowChangePolicy` to a conversation started on another version (hash):
 * - keep: continue on the pinned flow when available, else restart;
 * - migrate: carry answers whose fields still exist and still validate, continue at the first unanswered step
 *   (or the summary);
 * - restart: start over, offering the old answers as defaults (沿用).
 * A conversation waiting for an effect finishes that effect on the pinned flow first. After a change, call `step`
 * with `{ type: 'resume' }` to ask the question the conversation now stands at.
 */
export function reconcileState({ state, current, pinned, now }: ReconcileArgs): ReconcileResult {
  if (state.status !== 'active' || state.hash === current.hash) return { state, flow: current };
  const pinnedOk = pinned !== undefined && pinned.hash === state.hash && pinned.id === state.flowId;
  if (pinnedOk && state.waiting !== null) return { state, flow: pinned };
  const at = now ?? new Date(state.updatedAt);
  const policy = state.flowId === current.id ? (current.def.flowChangePolicy ?? 'keep') : 'restart';
  switch (policy) {
    case 'keep':
      return pinnedOk ? { state, flow: pinned } : restart(state, current, at);
    case 'migrate':
      return migrate(state, current, at);
    case 'restart':
      return restart(state, current, at);
    default:
      return assertNever(policy, 'policy');
  }
}

function restart(state: FlowState, current: CompiledFlow, now: Date): ReconcileResult {
  const fresh = initialState(current, now, { ...state.defaults, ...state.answers });
  const keep = current.commands.keep[0] ?? '沿用';
  const hasDefaults = Object.keys(fresh.defaults).length > 0;
  return {
    state: { ...fresh, startedAt: state.startedAt },
    flow: current,
    notice: hasDefaults
      ? `流程已更新，需要从头填写；之前填过的内容可回复「${keep}」保留。`
      : '流程已更新，需要从头填写。',
  };
}

function migrate(state: FlowState, current: CompiledFlow, now: Date): ReconcileResult {
  const answers: Record<string, AnswerValue> = {};
  for (const [field, value] of Object.entries(state.answers)) {
    if (!Object.hasOwn(current.def.fields, field)) continue;
    const ownerId = current.owners.get(field);
    const owner = ownerId === undefined ? undefined : current.steps.get(ownerId);
    if (owner === undefined || isValidAnswer(current, owner, value, now)) answers[field] = value;
  }
  const fresh = initialState(current, now, state.defaults);
  const history = state.history.filter((id) => {
    const s = current.steps.get(id);
    return (
      s !== undefined &&
      (isInputStep(s) || s.type === 'confirm') &&
      s.field !== undefined &&
      Object.hasOwn(answers, s.field)
    );
  });
  return {
    state: {
      ...fresh,
      answers,
      history,
      stepId: firstOpenStep(current, answers),
      startedAt: state.startedAt,
    },
    flow: current,
    notice: '流程已更新，已保留您之前的回答，接着填写即可。',
  };
}

/** Walks from the start past answered questions, messages and branches; stops where the user is needed. */
function firstOpenStep(flow: CompiledFlow, answers: Readonly<Record<string, AnswerValue>>): string {
  let id = flow.def.start;
  const has = (f: string | undefined): boolean => f !== undefined && Object.hasOwn(answers, f);
  for (let hop = 0; hop < flow.steps.size + 1; hop++) {
    const step = flow.steps.get(id);
    if (step === undefined) return flow.def.start;
    let next: string | undefined;
    if (step.type === 'message') next = nextOf(step, flow.implicitNext);
    else if (step.type === 'branch') next = branchTarget(flow, step, answers);
    else if (step.type === 'confirm' && has(step.field))
      next = answers[step.field ?? ''] === true ? step.yes : step.no;
    else if (isInputStep(step) && has(step.field)) next = nextOf(step, flow.implicitNext);
    if (next === undefined) return id;
    id = next;
  }
  return id;
}
