/**
 * The flow engine's contract with the app layer. Everything here is plain JSON-serialisable data except
 * `CompiledFlow`, which the app builds once per flow file (`compileFlow`) and keeps in its registry.
 */
import type { Expr } from './expressions.js';
import type { ResolvedCommands } from './commands.js';
import type { FlowDef, StepDef } from './schema.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A member picked by a `member` step (from the app's `members.search` result). */
export interface MemberRef {
  userId: string;
  name: string;
  dept?: string;
}

/**
 * A stored answer. ask → string; choice → option value; multi → option values; number → number;
 * date → 'YYYY-MM-DD' (Asia/Shanghai calendar day); confirm → boolean; member → MemberRef;
 * action `saveAs` → string | number | boolean.
 */
export type AnswerValue = string | number | boolean | string[] | MemberRef;

export type FlowStatus = 'active' | 'done' | 'cancelled';

/** The effect a conversation is blocked on; its `effectResult` resumes the flow, any other result is ignored. */
export interface PendingEffect {
  effectId: string;
  stepId: string;
  kind: 'action' | 'memberSearch';
  /** The searched text, for member searches (used in the "not found" reply). */
  query?: string;
}

/**
 * One conversation's position in one flow. Persist it as JSON after every `step`; the engine never mutates the
 * object it is given. Pinned to the flow id, version and content hash it started on (see `reconcileState`).
 */
export interface FlowState {
  flowId: string;
  version: number;
  hash: string;
  /** The step the conversation is at (the question waiting for an answer, or the action waiting for its result). */
  stepId: string;
  status: FlowStatus;
  answers: Record<string, AnswerValue>;
  /** Earlier answers offered again after a restart (or start args); accepted with the keep command (沿用). */
  defaults: Record<string, AnswerValue>;
  /** Invalid answers so far, per step; reset when the step is answered. */
  retries: Record<string, number>;
  /** Input steps answered, oldest first; 返回 pops the last one. */
  history: string[];
  /** Set while editing from a summary: the summary step to come back to. */
  returnTo: string | null;
  waiting: PendingEffect | null;
  /** Candidates offered by a member step when a search found several people. */
  candidates: MemberRef[] | null;
  /**
   * The last answer refused as too long by an ask step, kept so the member can reply 截取 to keep its first
   * maxLength characters instead of pasting it again. Absent in states saved before it existed.
   */
  overlong?: { stepId: string; text: string } | null;
  /** Counter for deterministic effect ids. */
  seq: number;
  /** Epoch milliseconds of the `now` passed to the call that started / last changed the conversation. */
  startedAt: number;
  updatedAt: number;
}

/**
 * What the user (or the app) did. `click` is a WeCom menu / card button key and is treated as text typed.
 * `resume` (re)sends the current question, e.g. after `reconcileState` or when a user comes back.
 * `start` with a non-null state starts over, fresh.
 */
export type FlowInput =
  | { type: 'start'; args?: Record<string, AnswerValue> }
  | { type: 'text'; text: string }
  | { type: 'click'; key: string }
  | { type: 'resume' }
  | { type: 'effectResult'; effectId: string; ok: true; data?: unknown }
  | { type: 'effectResult'; effectId: string; ok: false; error?: string };

/** A message to the user. Texts never exceed `REPLY_MAX_BYTES`, WeCom's text limit (longer ones are split). */
export type Reply = { type: 'text'; text: string };

/**
 * A side effect as data; the app performs it (exhaustive switch in app/runEffect). When `awaitsResult` is true the
 * flow is blocked until the app calls `step` with `{ type: 'effectResult', effectId: id, … }`.
 * Engine-emitted types: `members.search` { query }, `draft.keep` { flowId, version, stepId, answers } (on 取消 or
 * exhaustion: keep the draft), `flow.error` { message } (a bug caught; log it). Others come from action steps.
 */
export interface Effect {
  id: string;
  type: string;
  payload: Record<string, JsonValue>;
  awaitsResult: boolean;
}

export interface StepResult {
  state: FlowState;
  replies: Reply[];
  effects: Effect[];
  status: FlowStatus;
}

export interface Problem {
  /** Where: `steps.ask_title.next`, `fields.topic`, or a zod path like `steps.3.options`. */
  path: string;
  message: string;
}

/** A validated, linted flow with its lookups precomputed. Build with `compileFlow`; never construct by hand. */
export interface CompiledFlow {
  readonly id: string;
  readonly version: number;
  /** `fnv1a64:<16 hex>` of the canonical JSON of the definition (see compileFlow.ts for why not sha256). */
  readonly hash: string;
  readonly def: FlowDef;
  readonly steps: ReadonlyMap<string, StepDef>;
  /** The step each step continues at when it has no explicit `next` (the following step in the file). */
  readonly implicitNext: ReadonlyMap<string, string>;
  /** The input step that asks each field (first one in the file). */
  readonly owners: ReadonlyMap<string, string>;
  /** Fields to clear when a field's value changes (transitive; declared dependsOn plus branch inference). */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** Parsed branch conditions, by step id, in case order. */
  readonly conditions: ReadonlyMap<string, readonly Expr[]>;
  readonly patterns: ReadonlyMap<string, RegExp>;
  readonly summaryFields: ReadonlyMap<string, readonly string[]>;
  readonly commands: ResolvedCommands;
}
