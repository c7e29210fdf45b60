/**
 * Transcript tests for the flow files: `flows/<name>.test.yaml` scripts conversations with a flow and states what the
 * bot must say and do. Each case starts the flow (an explicit `start` turn, or a plain one when the first turn is
 * something else) and plays its turns through the engine's `step` at a fixed `now`; effect results are scripted.
 *
 * flow: proposal                       # the flow id (the file defining it is found by id)
 * now: '2026-11-25T10:00:00+08:00'     # optional; this is the default
 * cases:
 *   - name: happy path
 *     from: other case name            # optional: first play that case's turns (its expectations unchecked)
 *     turns:
 *       - start: { args: { title: … } }   # (re)start, with optional args = answers offered for 沿用
 *       - user: 关于……的建议              # a text message;  click: MENU_KEY  a menu click
 *       - effect: { type: proposal.check, ok: true, data: {…} }   # the result of the effect the flow waits for
 *     # expectations, on any turn (all optional):
 *     #   bot: [substring, …]     each appears in this turn's replies (joined)
 *     #   notBot: [substring, …]  none appears
 *     #   silent: true            no reply at all
 *     #   effects: [type, …]      exactly these effects were emitted, in order ([] = none)
 *     #   payload: {…}            the first effect's payload contains these entries (deep, partial)
 *     #   step / status           where the conversation is afterwards (status: active | done | cancelled)
 *     #   answers: {…}            these answers are stored (deep equal per field; null = not answered)
 */
import { z } from 'zod';
import { step } from '../../src/flows/index.js';
import type { CompiledFlow, FlowInput, FlowState, StepResult } from '../../src/flows/index.js';
import { utf8Bytes } from '../../src/flows/templates.js';
import { TEXT_MAX_BYTES } from '../../src/wecom/limits.js';

const Json: z.ZodType<unknown> = z.unknown();

const Expect = {
  bot: z.array(z.string()).optional(),
  notBot: z.array(z.string()).optional(),
  silent: z.boolean().optional(),
  effects: z.array(z.string()).optional(),
  payload: z.record(z.string(), Json).optional(),
  step: z.string().optional(),
  status: z.enum(['active', 'done', 'cancelled']).optional(),
  answers: z.record(z.string(), Json).optional(),
};

const Turn = z.union([
  z.strictObject({
    start: z.strictObject({ args: z.record(z.string(), Json).optional() }).nullable(),
    ...Expect,
  }),
  z.strictObject({ user: z.union([z.string(), z.number()]).transform(String), ...Expect }),
  z.strictObject({ click: z.string(), ...Expect }),
  z.strictObject({
    effect: z.strictObject({
      type: z.string(),
      ok: z.boolean().optional(),
      data: Json.optional(),
      error: z.string().optional(),
    }),
    ...Expect,
  }),
]);
export type TranscriptTurn = z.infer<typeof Turn>;

const Case = z.strictObject({
  name: z.string().min(1),
  from: z.string().optional(),
  turns: z.array(Turn).min(1),
});
export type TranscriptCase = z.infer<typeof Case>;

export const TranscriptFileSchema = z.strictObject({
  flow: z.string().min(1),
  now: z.string().optional(),
  cases: z.array(Case).min(1),
});
export type TranscriptFile = z.infer<typeof TranscriptFileSchema>;

export const DEFAULT_NOW = '2026-11-25T10:00:00+08:00';

/** One failed expectation, with where it happened. */
export interface Failure {
  turn: number;
  message: string;
}

function inputOf(turn: TranscriptTurn, state: FlowState | null): FlowInput {
  if ('start' in turn)
    return turn.start?.args ? { type: 'start', args: turn.start.args as never } : { type: 'start' };
  if ('user' in turn) return { type: 'text', text: turn.user };
  if ('click' in turn) return { type: 'click', key: turn.click };
  const effectId = state?.waiting?.effectId ?? '(not waiting)';
  return turn.effect.ok === false
    ? { type: 'effectResult', effectId, ok: false, error: turn.effect.error ?? 'scripted failure' }
    : { type: 'effectResult', effectId, ok: true, data: turn.effect.data };
}

/** Deep partial match: every key of `want` is in `got` with a matching value (arrays compared whole). */
function contains(got: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object' || Array.isArray(want))
    return JSON.stringify(got) === JSON.stringify(want);
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
  return Object.entries(want).every(([k, v]) => contains(Reflect.get(got, k), v));
}

function check(
  turn: TranscriptTurn,
  r: StepResult,
  lastEffects: { type: string; payload: unknown }[],
): string[] {
  const problems: string[] = [];
  const text = r.replies.map((x) => x.text).join('\n---\n');
  for (const reply of r.replies) {
    const bytes = utf8Bytes(reply.text);
    if (bytes > TEXT_MAX_BYTES) problems.push(`a reply has ${bytes} bytes (limit ${TEXT_MAX_BYTES})`);
  }
  for (const s of turn.bot ?? []) if (!text.includes(s)) problems.push(`bot should say 「${s}」`);
  for (const s of turn.notBot ?? []) if (text.includes(s)) problems.push(`bot should not say 「${s}」`);
  if (turn.silent === true && r.replies.length > 0) problems.push('bot should say nothing');
  const types = lastEffects.map((e) => e.type);
  if (turn.effects !== undefined && JSON.stringify(types) !== JSON.stringify(turn.effects))
    problems.push(`effects should be [${turn.effects.join(', ')}]`);
  if (turn.payload !== undefined && !contains(lastEffects[0]?.payload, turn.payload))
    problems.push(`payload should contain ${JSON.stringify(turn.payload)}`);
  if (turn.step !== undefined && r.state.stepId !== turn.step) problems.push(`step should be ${turn.step}`);
  if (turn.status !== undefined && r.status !== turn.status) problems.push(`status should be ${turn.status}`);
  for (const [field, want] of Object.entries(turn.answers ?? {})) {
    const got = Object.hasOwn(r.state.answers, field) ? r.state.answers[field] : null;
    if (!contains(got, want)) problems.push(`answer ${field} should be ${JSON.stringify(want)}`);
  }
  if (problems.length === 0) return [];
  return [
    ...problems,
    `  replies: ${JSON.stringify(text)}`,
    `  effects: ${JSON.stringify(types)}; step: ${r.state.stepId}; status: ${r.status}`,
  ];
}

/** The turns of a case, with the turns of its `from` chain first (those marked to be played unchecked). */
function expand(
  file: TranscriptFile,
  c: TranscriptCase,
  seen: string[] = [],
): { turn: TranscriptTurn; checked: boolean }[] {
  const own = c.turns.map((turn) => ({ turn, checked: true }));
  if (c.from === undefined) return own;
  if (seen.includes(c.from)) throw new Error(`case 「${c.name}」: circular from「${c.from}」`);
  const base = file.cases.find((x) => x.name === c.from);
  if (base === undefined) throw new Error(`case 「${c.name}」: no case named 「${c.from}」`);
  const before = expand(file, base, [...seen, c.name]).map((t) => ({ ...t, checked: false }));
  return [...before, ...own];
}

/** Plays one case; returns the failed expectations (empty = pass). */
export function playCase(flow: CompiledFlow, file: TranscriptFile, c: TranscriptCase): Failure[] {
  const now = new Date(file.now ?? DEFAULT_NOW);
  const turns = expand(file, c);
  if (!('start' in (turns[0]?.turn ?? {}))) {
    turns.unshift({ turn: { start: null }, checked: false });
  }
  const failures: Failure[] = [];
  let state: FlowState | null = null;
  turns.forEach(({ turn, checked }, i) => {
    if ('effect' in turn) {
      const pending = state?.waiting;
      if (pending == null) {
        failures.push({
          turn: i,
          message: `no effect is pending for the scripted ${turn.effect.type} result`,
        });
        return;
      }
    }
    const r = step({ flow, state, input: inputOf(turn, state), now });
    if ('effect' in turn && state !== null) {
      // The pending effect's type is the one the script answers.
      const stepDef = flow.steps.get(state.waiting?.stepId ?? '');
      const type =
        stepDef?.type === 'action' ? stepDef.effect : stepDef?.type === 'member' ? 'members.search' : '?';
      if (type !== turn.effect.type)
        failures.push({ turn: i, message: `the pending effect is ${type}, not ${turn.effect.type}` });
    }
    state = r.state;
    const problems = check(turn, r, r.effects);
    if (checked) for (const message of problems) failures.push({ turn: i, message });
    else if (problems.some((p) => p.includes('bytes')))
      failures.push({ turn: i, message: problems.join('\n') });
  });
  return failures;
}
