import type { StepDef } from './schema.js';
import type { AnswerValue, CompiledFlow, FlowInput, FlowState, JsonValue, StepResult } from './types.js';
import { isMemberRef, parseStepAnswer, TRUNCATE_WORD, truncateAnswer } from './answers.js';
import { matchCommand, matchSummaryEdit } from './commands.js';
import { isInputStep, nextOf } from './graph.js';
import { confirmSubject, isSkipAnswer, normalizeText, parseConfirm, parseIndex } from './parseAnswer.js';
import { formatDateCn, parseDateTime } from './parseDate.js';
import { renderQuestion, STOCK, stockText, visibleSummaryFields } from './render.js';
import type { Turn } from './turn.js';
import {
  acceptAnswer,
  answerOf,
  ask,
  endCancelled,
  enter,
  finish,
  newEffectId,
  rejectAnswer,
  say,
} from './turn.js';
import { errorMessage, assertNever } from '../shared/errors.js';

export interface StepArgs {
  flow: CompiledFlow;
  /** null (or any state with a `start` input) starts the flow afresh. */
  state: FlowState | null;
  input: FlowInput;
  now: Date;
}

/** A fresh conversation at the flow's start step (not yet asked: pass it to `step` with a `start` input). */
export function initialState(
  flow: CompiledFlow,
  now: Date,
  defaults: Record<string, AnswerValue> = {},
): FlowState {
  const kept: Record<string, AnswerValue> = {};
  for (const [k, v] of Object.entries(defaults)) if (Object.hasOwn(flow.def.fields, k)) kept[k] = v;
  return {
    flowId: flow.id,
    version: flow.version,
    hash: flow.hash,
    stepId: flow.def.start,
    status: 'active',
    answers: {},
    defaults: kept,
    retries: {},
    history: [],
    returnTo: null,
    waiting: null,
    candidates: null,
    seq: 0,
    startedAt: now.getTime(),
    updatedAt: now.getTime(),
  };
}

/**
 * Advances one conversation by one input. Pure and deterministic (same arguments → deep-equal result), never
 * mutates `state`, and total: any input gets an answer; an internal bug is reported as a `flow.error` effect.
 */
export function step(args: StepArgs): StepResult {
  try {
    return runStep(args);
  } catch (err) {
    const state = args.state ?? initialState(args.flow, args.now);
    return {
      state,
      replies: [{ type: 'text', text: STOCK.broken }],
      effects: [
        {
          id: `${state.flowId}:error:${state.seq}`,
          type: 'flow.error',
          payload: { message: errorMessage(err) },
          awaitsResult: false,
        },
      ],
      status: state.status,
    };
  }
}

function runStep({ flow, state, input, now }: StepArgs): StepResult {
  if (state === null || input.type === 'start') {
    const args = input.type === 'start' ? (input.args ?? {}) : {};
    const turn: Turn = { flow, now, s: initialState(flow, now, args), texts: [], effects: [] };
    enter(turn, flow.def.start);
    return finish(turn);
  }
  const turn: Turn = { flow, now, s: structuredClone(state), texts: [], effects: [] };
  if (turn.s.status !== 'active') return finish(turn);
  if (input.type === 'effectResult') {
    if (turn.s.waiting?.effectId !== input.effectId) return finish(turn); // stale or duplicate: ignore
    turn.s.updatedAt = now.getTime();
    handleEffectResult(turn, input);
    return finish(turn);
  }
  turn.s.updatedAt = now.getTime();
  switch (input.type) {
    case 'resume':
      if (turn.s.waiting !== null) say(turn, stockText(flow, 'busy'));
      else enter(turn, turn.s.stepId);
      break;
    case 'text':
      handleText(turn, input.text);
      break;
    case 'click':
      handleText(turn, input.key);
      break;
    default:
      return assertNever(input, 'input');
  }
  return finish(turn);
}

function handleEffectResult(turn: Turn, input: Extract<FlowInput, { type: 'effectResult' }>): void {
  const { s, flow } = turn;
  const waiting = s.waiting;
  s.waiting = null;
  const step = waiting === null ? undefined : flow.steps.get(waiting.stepId);
  if (waiting === null || step === undefined) return endCancelled(turn, STOCK.broken);
  if (step.type === 'member') {
    if (!input.ok) return say(turn, `${STOCK.memberFailed}\n${renderQuestion(flow, s, step)}`);
    const found = memberList(input.data);
    const query = waiting.query ?? '';
    const only = found.length === 1 ? found[0] : undefined;
    if (only !== undefined) return acceptMember(turn, step, only);
    if (found.length === 0) return rejectAnswer(turn, step, STOCK.memberNotFound(query));
    s.candidates = found.slice(0, 9);
    const list = s.candidates.map((m, i) => `${i + 1}. ${m.name}${m.dept ? `（${m.dept}）` : ''}`);
    return say(turn, [STOCK.memberSeveral(found.length), ...list].join('\n'));
  }
  if (step.type !== 'action') return endCancelled(turn, STOCK.broken);
  if (!input.ok) {
    if (step.onError !== undefined) return enter(turn, step.onError);
    return endCancelled(turn, stockText(flow, 'actionFailed'));
  }
  for (const [field, prop] of Object.entries(step.saveAs ?? {})) {
    const v: unknown =
      typeof input.data === 'object' && input.data !== null ? Reflect.get(input.data, prop) : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') s.answers[field] = v;
  }
  acceptAnswerless(turn, step);
}

/** An action done: continue at its next step (actions are not part of the 返回 history). */
function acceptAnswerless(turn: Turn, step: Extract<StepDef, { type: 'action' }>): void {
  enter(turn, step.next ?? turn.flow.implicitNext.get(step.id));
}

/** `data` from the app's members.search: `{ members: MemberRef[] }` or a bare array; anything else is no one. */
function memberList(data: unknown): { userId: string; name: string; dept?: string }[] {
  const list: unknown = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null
      ? Reflect.get(data, 'members')
      : [];
  return Array.isArray(list) ? list.filter(isMemberRef) : [];
}

function handleText(turn: Turn, raw: string): void {
  const { s, flow } = turn;
  const command = matchCommand(raw, flow.commands);
  if (command === 'cancel') return endCancelled(turn, stockText(flow, 'cancelled'));
  if (s.waiting !== null) return say(turn, stockText(flow, 'busy'));
  const current = flow.steps.get(s.stepId);
  if (current === undefined) return endCancelled(turn, STOCK.broken);
  switch (command) {
    case 'restart':
      s.answers = {};
      s.retries = {};
      s.history = [];
      s.returnTo = null;
      s.candidates = null;
      delete s.overlong;
      say(turn, stockText(flow, 'restarted'));
      return enter(turn, flow.def.start);
    case 'back':
      return goBack(turn, current);
    case 'help': {
      const help = 'help' in current && current.help !== undefined ? current.help : stockText(flow, 'help');
      say(turn, help);
      return ask(turn, current);
    }
    case 'keep':
      if (keepAnswer(turn, current)) return;
      break;
    case null:
      break;
    default:
      return assertNever(command, 'command');
  }
  answer(turn, current, raw);
}

function goBack(turn: Turn, current: StepDef): void {
  const { s, flow } = turn;
  // 返回 from a question reached by an edit (its answer still there) abandons the edit: back to that summary.
  const summary = s.returnTo === null ? undefined : flow.steps.get(s.returnTo);
  const field = isInputStep(current) ? current.field : undefined;
  if (summary !== undefined && field !== undefined && answerOf(s, field) !== undefined) {
    s.returnTo = null;
    s.candidates = null;
    return ask(turn, summary);
  }
  let previous = s.history.pop();
  while (previous === s.stepId) previous = s.history.pop();
  const target = previous === undefined ? undefined : flow.steps.get(previous);
  delete s.overlong;
  if (target === undefined) {
    say(turn, STOCK.noPrevious);
    return ask(turn, current);
  }
  s.returnTo = null;
  s.candidates = null;
  ask(turn, target);
}

/** 沿用: accept the value the step already has (or the default kept from before). false = not applicable. */
function keepAnswer(turn: Turn, current: StepDef): boolean {
  const { s } = turn;
  const field = isInputStep(current) || current.type === 'confirm' ? current.field : undefined;
  if (field === undefined) return false;
  const value = answerOf(s, field) ?? (Object.hasOwn(s.defaults, field) ? s.defaults[field] : undefined);
  if (value === undefined) {
    say(turn, `${STOCK.nothingToKeep}\n${renderQuestion(turn.flow, s, current)}`);
    return true;
  }
  acceptAnswer(turn, current, field, value);
  return true;
}

function answer(turn: Turn, current: StepDef, raw: string): void {
  const { s, flow, now } = turn;
  if (isInputStep(current) && current.optional !== undefined && isSkipAnswer(raw)) {
    // '' = declined on purpose: the question counts as answered (summaries, skip logic) but holds nothing.
    if (current.optional) return acceptAnswer(turn, current, current.field, '');
    return rejectAnswer(turn, current, STOCK.required);
  }
  switch (current.type) {
    case 'member':
      return answerMember(turn, current, raw);
    case 'ask':
      return answerAsk(turn, current, raw);
    case 'date':
      return answerDate(turn, current, raw);
    case 'choice':
      return answerChoice(turn, current, raw);
    case 'multi':
    case 'number':
    case 'time': {
      const parsed = parseStepAnswer(flow, current, raw, now);
      return parsed.ok
        ? acceptAnswer(turn, current, current.field, parsed.value)
        : rejectAnswer(turn, current, parsed.reason);
    }
    case 'confirm': {
      const yes = parseConfirm(raw, confirmSubject(current.prompt ?? ''));
      return yes === null
        ? rejectAnswer(turn, current, '请回复「是」或「否」。')
        : acceptAnswer(turn, current, current.field, yes);
    }
    case 'summary':
      return answerSummary(turn, current, raw);
    case 'branch':
    case 'action':
    case 'message':
    case 'end':
      // Positioned on a step not yet entered (after reconcileState): enter it; the text was meant for another question.
      return enter(turn, s.stepId);
    default:
      return assertNever(current, 'current');
  }
}

/**
 * Free text. An answer over the limit is refused but kept (state.overlong), so 截取 keeps its first maxLength
 * characters: cutting silently could lose the member's conclusion, refusing outright made them paste it again.
 */
function answerAsk(turn: Turn, current: Extract<StepDef, { type: 'ask' }>, raw: string): void {
  const { s, flow, now } = turn;
  const kept = s.overlong;
  delete s.overlong;
  const text =
    kept?.stepId === current.id && normalizeText(raw) === TRUNCATE_WORD
      ? truncateAnswer(current, kept.text)
      : raw;
  const parsed = parseStepAnswer(flow, current, text, now);
  if (parsed.ok) return acceptAnswer(turn, current, current.field, parsed.value);
  if (parsed.overLimit !== undefined) s.overlong = { stepId: current.id, text };
  rejectAnswer(turn, current, parsed.reason);
}

/** A choice; with `freeText`, a longer answer that is no option picks the option it names (or the fallback). */
function answerChoice(turn: Turn, current: Extract<StepDef, { type: 'choice' }>, raw: string): void {
  const { s, flow, now } = turn;
  const parsed = parseStepAnswer(flow, current, raw, now);
  const free = current.freeText;
  if (free === undefined) {
    return parsed.ok
      ? acceptAnswer(turn, current, current.field, parsed.value)
      : rejectAnswer(turn, current, parsed.reason);
  }
  const text = raw.trim();
  const plain = parsed.ok && isOptionWord(current, text, parsed.value);
  if (plain || !parsed.ok) delete s.answers[free.field];
  if (parsed.ok) {
    if (!plain) s.answers[free.field] = text;
    return acceptAnswer(turn, current, current.field, parsed.value);
  }
  if ([...text].length < (free.minLength ?? 2) || parseIndex(text) !== null)
    return rejectAnswer(turn, current, parsed.reason);
  s.answers[free.field] = text;
  acceptAnswer(turn, current, current.field, free.fallback);
}

/** Whether an answer is just an option (its number, a name or part of one), not a sentence naming one. */
function isOptionWord(step: Extract<StepDef, { type: 'choice' }>, text: string, value: AnswerValue): boolean {
  const t = normalizeText(text);
  if (parseIndex(t) !== null) return true;
  const option = step.options.find((o) => o.value === value);
  const names = option === undefined ? [] : [option.label, option.value, ...(option.synonyms ?? [])];
  return names.some((w) => [...t].length <= [...normalizeText(w)].length);
}

/**
 * A date. When the flow asks the time right after it, a time typed with the date (明天下午三点) answers that question
 * too, instead of being dropped or making the date unreadable.
 */
function answerDate(turn: Turn, current: Extract<StepDef, { type: 'date' }>, raw: string): void {
  const { s, flow, now } = turn;
  const parsed = parseStepAnswer(flow, current, raw, now);
  if (!parsed.ok) return rejectAnswer(turn, current, parsed.reason);
  const time = parseDateTime(raw, now)?.time ?? null;
  const nextId = nextOf(current, flow.implicitNext);
  const timeStep = nextId === undefined ? undefined : flow.steps.get(nextId);
  if (time === null || timeStep?.type !== 'time')
    return acceptAnswer(turn, current, current.field, parsed.value);
  // Stored first so that, when editing from a summary, the time question is skipped like any answered one.
  s.answers[timeStep.field] = time;
  const before = turn.texts.length;
  acceptAnswer(turn, current, current.field, parsed.value);
  if (s.stepId !== timeStep.id || s.waiting !== null || s.status !== 'active') return;
  turn.texts.splice(before); // the time question just asked is answered already
  say(turn, `已记下：${typeof parsed.value === 'string' ? formatDateCn(parsed.value) : ''} ${time}。`);
  acceptAnswer(turn, timeStep, timeStep.field, time);
}

function answerMember(turn: Turn, current: Extract<StepDef, { type: 'member' }>, raw: string): void {
  const { s } = turn;
  if (s.candidates !== null) {
    const n = parseIndex(raw);
    const picked = n === null ? undefined : s.candidates[n - 1];
    if (picked !== undefined) return acceptMember(turn, current, picked);
    if (n !== null) return rejectAnswer(turn, current, `请回复 1-${s.candidates.length} 之间的序号。`);
  }
  const query = normalizeText(raw);
  if (query === '') return rejectAnswer(turn, current, '请输入委员姓名。');
  const had = answerOf(s, current.field);
  if (s.returnTo !== null && isMemberRef(had) && CLEAR_MEMBER.test(query)) {
    // Editing from the summary: 无 / 不要 / 删除 takes this person off, and the summary comes back.
    delete s.answers[current.field];
    s.candidates = null;
    say(turn, `已移除 ${had.name}。`);
    return enter(turn, s.returnTo);
  }
  s.candidates = null;
  const id = newEffectId(s, current.id);
  const payload: Record<string, JsonValue> = { query };
  if (current.searchRole !== undefined) payload['role'] = current.searchRole;
  turn.effects.push({ id, type: 'members.search', payload, awaitsResult: true });
  s.waiting = { effectId: id, stepId: current.id, kind: 'memberSearch', query };
}

/** Answers to a member question (when editing from a summary) that mean "nobody here". */
const CLEAR_MEMBER = /^(?:无|没有|不要|不要了|不用|不用了|删除|删掉|去掉|移除|不邀请|不联名)$/;

/** A picked member, unless the same person is already in another field of this flow (no one is added twice). */
function acceptMember(
  turn: Turn,
  current: Extract<StepDef, { type: 'member' }>,
  picked: { userId: string; name: string; dept?: string },
): void {
  const { s } = turn;
  const twice = Object.entries(s.answers).some(
    ([field, v]) => field !== current.field && isMemberRef(v) && v.userId === picked.userId,
  );
  if (twice) {
    s.candidates = null;
    return rejectAnswer(turn, current, `${picked.name} 已经添加过了，请输入其他委员的姓名。`);
  }
  acceptAnswer(turn, current, current.field, picked);
}

/**
 * 「删除联名 2」「去掉张三」「删除 7」 at the summary: takes a picked member off the list. A number is the summary item
 * when that item is a member, else the N-th member listed; a name is matched against the members listed.
 */
function removeMember(turn: Turn, current: Extract<StepDef, { type: 'summary' }>, target: string): void {
  const { s, flow } = turn;
  const visible = visibleSummaryFields(flow, s, current.id);
  const members = visible.filter((f) => isMemberRef(answerOf(s, f)));
  const n = parseIndex(target);
  const field =
    n !== null
      ? isMemberRef(answerOf(s, visible[n - 1] ?? ''))
        ? visible[n - 1]
        : members[n - 1]
      : members.find((f) => {
          const v = answerOf(s, f);
          return isMemberRef(v) && (v.name === target || v.userId === target);
        });
  const removed = field === undefined ? undefined : answerOf(s, field);
  if (field === undefined || !isMemberRef(removed)) {
    const which = n !== null ? `第 ${n} 位` : `「${target}」`;
    return rejectAnswer(
      turn,
      current,
      members.length === 0 ? '名单中没有可删除的联名委员。' : `联名名单中没有${which}。`,
    );
  }
  delete s.answers[field];
  delete s.retries[current.id];
  say(turn, `已移除 ${removed.name}。`);
  ask(turn, current);
}

function answerSummary(turn: Turn, current: Extract<StepDef, { type: 'summary' }>, raw: string): void {
  const { s, flow } = turn;
  const removal = /^(?:删除|删掉|去掉|移除|去除|不要)(?:联名)?(?:提案人|委员)?\s*(.+?)$/.exec(
    normalizeText(raw),
  );
  if (removal?.[1] !== undefined)
    return removeMember(turn, current, removal[1].replace(/^第\s*|\s*[位项个]$/g, ''));
  const edit = matchSummaryEdit(raw, parseIndex);
  if (edit === null) {
    if (parseConfirm(raw) === true) return acceptAnswer(turn, current, undefined, true);
    return rejectAnswer(turn, current, '');
  }
  const field =
    edit.type === 'edit'
      ? visibleSummaryFields(flow, s, current.id)[edit.index - 1]
      : fieldByLabel(flow, s, current.id, edit.label);
  if (Array.isArray(field))
    return rejectAnswer(
      turn,
      current,
      `「${edit.type === 'editLabel' ? edit.label : ''}」可能是指：${field.map((f) => `「${flow.def.fields[f]?.label ?? f}」`).join('、')}，请回复「修改 N」。`,
    );
  if (field === undefined)
    return rejectAnswer(
      turn,
      current,
      edit.type === 'edit' ? `没有第 ${edit.index} 项。` : `没有「${edit.label}」这一项。`,
    );
  // The question as it was asked on this conversation's path (a field may have several askers behind a branch).
  const askedId = [...s.history].reverse().find((id) => {
    const asked = flow.steps.get(id);
    return asked !== undefined && isInputStep(asked) && asked.field === field && asked.reask !== true;
  });
  const ownerId = askedId ?? flow.owners.get(field);
  const owner = ownerId === undefined ? undefined : flow.steps.get(ownerId);
  if (owner === undefined) return say(turn, `${STOCK.notEditable}\n${STOCK.summaryHint}`);
  s.returnTo = current.id;
  ask(turn, owner);
}

/**
 * The summary field a 修改<label part> names: the exact label, else the one label containing the words (「修改公开」 →
 * 同意公开), preferring fields shown in the summary and then the shortest label (同意公开 over 不公开理由).
 * Several equally good → all of them, so the member is asked which; none → undefined.
 */
function fieldByLabel(
  flow: CompiledFlow,
  s: FlowState,
  summaryId: string,
  label: string,
): string | string[] | undefined {
  const wanted = normalizeText(label).replace(/^(?:一下|下)\s*/u, '');
  const all = flow.summaryFields.get(summaryId) ?? [];
  const labelOf = (f: string): string => normalizeText(flow.def.fields[f]?.label ?? f);
  const exact = all.find((f) => labelOf(f) === wanted);
  if (exact !== undefined || wanted === '') return exact;
  const visible = visibleSummaryFields(flow, s, summaryId);
  for (const pool of [visible, all]) {
    const hits = pool.filter((f) => labelOf(f).includes(wanted));
    if (hits.length === 0) continue;
    const shortest = Math.min(...hits.map((f) => [...labelOf(f)].length));
    const best = hits.filter((f) => [...labelOf(f)].length === shortest);
    return best.length === 1 ? best[0] : best;
  }
  return undefined;
}
