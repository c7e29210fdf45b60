import { assertNever } from '../shared/errors.js';
import type { StepDef } from './schema.js';

/** One transition of the step graph; `sets` are the fields certainly answered when it is taken. */
export interface Edge {
  to: string;
  sets: readonly string[];
  /** `confirm` edges (confirm → yes, summary → onConfirm) are the ones a submit must pass. */
  kind: 'next' | 'exhausted' | 'yes' | 'no' | 'confirm' | 'case' | 'else' | 'error';
}

export function isInputStep(
  step: StepDef,
): step is Extract<StepDef, { type: 'ask' | 'choice' | 'multi' | 'number' | 'date' | 'time' | 'member' }> {
  return ['ask', 'choice', 'multi', 'number', 'date', 'time', 'member'].includes(step.type);
}

/** Steps that show a question and wait for the user (input steps, confirm, summary). */
export function isWaitingStep(step: StepDef): boolean {
  return isInputStep(step) || step.type === 'confirm' || step.type === 'summary';
}

/** Where a step continues without a branch: its `next`, else the following step in the file. */
export function nextOf(step: StepDef, implicitNext: ReadonlyMap<string, string>): string | undefined {
  switch (step.type) {
    case 'ask':
    case 'choice':
    case 'multi':
    case 'number':
    case 'date':
    case 'time':
    case 'member':
    case 'action':
    case 'message':
      return step.next ?? implicitNext.get(step.id);
    // These continue by their branches (or end the flow), never by position.
    case 'confirm':
    case 'summary':
    case 'branch':
    case 'end':
      return undefined;
    default:
      return assertNever(step, 'step');
  }
}

export function stepEdges(step: StepDef, implicitNext: ReadonlyMap<string, string>): Edge[] {
  const edges: Edge[] = [];
  const add = (to: string | undefined, kind: Edge['kind'], sets: readonly string[] = []): void => {
    if (to !== undefined) edges.push({ to, kind, sets });
  };
  switch (step.type) {
    case 'ask':
    case 'choice':
    case 'multi':
    case 'number':
    case 'date':
    case 'time':
    case 'member':
      add(nextOf(step, implicitNext), 'next', [step.field]);
      add(step.onExhausted, 'exhausted');
      break;
    case 'confirm': {
      const sets = step.field === undefined ? [] : [step.field];
      add(step.yes, 'yes', sets);
      add(step.no, 'no', sets);
      add(step.onExhausted, 'exhausted');
      break;
    }
    case 'summary':
      add(step.onConfirm, 'confirm');
      add(step.onExhausted, 'exhausted');
      break;
    case 'branch':
      for (const c of step.cases) add(c.goto, 'case');
      add(step.else, 'else');
      break;
    case 'action':
      add(nextOf(step, implicitNext), 'next', Object.keys(step.saveAs ?? {}));
      add(step.onError, 'error');
      break;
    case 'message':
      add(nextOf(step, implicitNext), 'next');
      break;
    case 'end':
      break;
    default:
      return assertNever(step, 'step');
  }
  return edges;
}

/** Step ids reachable from `from` (inclusive), following edges accepted by `follow`. */
export function reachable(
  from: string,
  steps: ReadonlyMap<string, StepDef>,
  implicitNext: ReadonlyMap<string, string>,
  follow: (step: StepDef, edge: Edge) => boolean = () => true,
): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.pop();
    if (id === undefined || seen.has(id)) continue;
    const step = steps.get(id);
    if (step === undefined) continue;
    seen.add(id);
    for (const e of stepEdges(step, implicitNext)) if (follow(step, e)) queue.push(e.to);
  }
  return seen;
}
