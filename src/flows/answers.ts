import { assertNever } from '../shared/errors.js';
import type { ExprValue } from './expressions.js';
import type { InputStepDef, StepDef } from './schema.js';
import type { AnswerValue, CompiledFlow, MemberRef } from './types.js';
import { normalizeText, parseChoice, parseMultiChoice, parseNumberInSentence } from './parseAnswer.js';
import { parseTime } from './parseTime.js';
import { isoToDay, ymdToDay } from '../shared/chinaTime.js';
import { formatDateCn, parseDateTime, resolveDateBound } from './parseDate.js';

export type Parsed =
  | { ok: true; value: AnswerValue }
  /** `overLimit`: the answer was too long by this limit; the runtime offers to keep its first `overLimit` characters. */
  | { ok: false; reason: string; overLimit?: number };

const DEFAULT_MAX_LENGTH = 2000;

/** The longest answer an ask step takes, in characters. */
export function askMaxLength(step: Extract<StepDef, { type: 'ask' }>): number {
  return step.maxLength ?? DEFAULT_MAX_LENGTH;
}

/** The reply word that keeps the first maxLength characters of an over-long answer. */
export const TRUNCATE_WORD = '截取';

/** Validates free text for an ask step: length in characters (not UTF-16 units), then the pattern. */
function parseAsk(flow: CompiledFlow, step: Extract<StepDef, { type: 'ask' }>, text: string): Parsed {
  const value = text.trim();
  const length = [...value].length;
  const min = step.minLength ?? 1;
  const max = askMaxLength(step);
  if (length === 0) return { ok: false, reason: '内容不能为空。' };
  if (length < min) return { ok: false, reason: `至少需要 ${min} 个字，目前 ${length} 个字。` };
  if (length > max && step.truncate === false)
    return {
      ok: false,
      reason: `您发来的内容有 ${length} 个字，超过了这一项 ${max} 个字的上限，没有保存。请精简到 ${max} 个字以内后重新发送。`,
    };
  if (length > max)
    return {
      ok: false,
      reason:
        `您发来的内容有 ${length} 个字，超过了这一项 ${max} 个字的上限，暂未保存。` +
        `请精简后重新发送；或回复「${TRUNCATE_WORD}」保留前 ${max} 个字（后面 ${length - max} 个字不保留）。`,
      overLimit: max,
    };
  const pattern = flow.patterns.get(step.id);
  if (pattern && !pattern.test(value)) return { ok: false, reason: step.patternHint ?? '格式不正确。' };
  return { ok: true, value };
}

/** An over-long answer cut to the step's limit (by characters, so no emoji or CJK character is split). */
export function truncateAnswer(step: Extract<StepDef, { type: 'ask' }>, text: string): string {
  return [...text.trim()].slice(0, askMaxLength(step)).join('').trimEnd();
}

/** Why a date is outside the step's range, in words that say what to do; null when it is fine. */
function dateInRange(
  step: Extract<StepDef, { type: 'date' }>,
  iso: string,
  now: Date,
  dayOnly = false,
): string | null {
  const day = isoToDay(iso);
  if (day === null) return '日期不正确。';
  const min = step.min === undefined ? null : resolveDateBound(step.min, now);
  const max = step.max === undefined ? null : resolveDateBound(step.max, now);
  if (min !== null && day < min) {
    if (step.min !== 'today') return `日期不能早于${formatDateCn(step.min ?? '')}。`;
    return `${formatDateCn(iso)}已经过去了，请回复今天或以后的日期${dayOnly ? laterSuggestion(iso, min) : ''}。`;
  }
  if (max !== null && day > max)
    return step.max === 'today' ? '日期不能晚于今天。' : `日期不能晚于${formatDateCn(step.max ?? '')}。`;
  return null;
}

/** 「，如「12月16日」」: the same day of the month in the first month where it is not past (16号 typed on the 25th). */
function laterSuggestion(iso: string, min: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  let y = Number(m[1]);
  let month = Number(m[2]);
  for (let i = 0; i < 12; i++) {
    month += 1;
    if (month > 12) {
      month = 1;
      y += 1;
    }
    const day = ymdToDay(y, month, Number(m[3]));
    if (day !== null && day >= min) return `，如「${month}月${Number(m[3])}日」`;
  }
  return '';
}

function numberProblem(step: Extract<StepDef, { type: 'number' }>, n: number): string | null {
  if (!Number.isFinite(n)) return '请输入数字。';
  if (step.integer && !Number.isInteger(n)) return '请输入整数。';
  if (step.min !== undefined && n < step.min) return `不能小于 ${step.min}。`;
  if (step.max !== undefined && n > step.max) return `不能大于 ${step.max}。`;
  return null;
}

function countProblem(step: Extract<StepDef, { type: 'multi' }>, count: number): string | null {
  const min = step.minItems ?? 1;
  if (count < min) return `请至少选择 ${min} 项。`;
  if (step.maxItems !== undefined && count > step.maxItems) return `最多选择 ${step.maxItems} 项。`;
  return null;
}

/** Parses a typed answer for every input step kind except `member` (which searches through an effect). */
export function parseStepAnswer(flow: CompiledFlow, step: InputStepDef, text: string, now: Date): Parsed {
  switch (step.type) {
    case 'ask':
      return parseAsk(flow, step, text);
    case 'choice': {
      const i = parseChoice(text, step.options);
      const option = i === null ? undefined : step.options[i];
      if (option === undefined)
        return { ok: false, reason: `请回复 1-${step.options.length} 之间的序号或选项名称。` };
      return { ok: true, value: option.value };
    }
    case 'multi': {
      const r = parseMultiChoice(text, step.options);
      if (!r.ok) return { ok: false, reason: `没有「${r.bad}」这一项，请回复序号，如「1 3」。` };
      const problem = countProblem(step, r.indexes.length);
      if (problem !== null) return { ok: false, reason: problem };
      return { ok: true, value: r.indexes.flatMap((i) => step.options[i]?.value ?? []) };
    }
    case 'number': {
      const n = parseNumberInSentence(text);
      if (n === null) return { ok: false, reason: '请输入数字。' };
      const problem = numberProblem(step, n);
      return problem === null ? { ok: true, value: n } : { ok: false, reason: problem };
    }
    case 'date': {
      const parsed = parseDateTime(text, now);
      const iso = parsed?.date ?? null;
      if (parsed === null || iso === null)
        return {
          ok: false,
          reason: '没能识别这个日期，可以回复「明天」「下周三」「12月1日」或「2026-12-01」。',
        };
      const problem = dateInRange(step, iso, now, parsed.dayOnly);
      return problem === null ? { ok: true, value: iso } : { ok: false, reason: problem };
    }
    case 'time': {
      const time = parseTime(text);
      return time === null
        ? { ok: false, reason: '没能识别这个时间，请按 24 小时制回复，如「09:30」「14:30」或「下午2点半」。' }
        : { ok: true, value: time };
    }
    case 'member': {
      const query = normalizeText(text);
      return query === '' ? { ok: false, reason: '请输入委员姓名。' } : { ok: true, value: query };
    }
    default:
      return assertNever(step, 'step');
  }
}

export function isMemberRef(v: unknown): v is MemberRef {
  if (typeof v !== 'object' || v === null) return false;
  const userId: unknown = Reflect.get(v, 'userId');
  const name: unknown = Reflect.get(v, 'name');
  const dept: unknown = Reflect.get(v, 'dept');
  return (
    typeof userId === 'string' && typeof name === 'string' && (dept === undefined || typeof dept === 'string')
  );
}

/** Whether a stored answer is still acceptable to a (possibly changed) step: used when migrating answers. */
export function isValidAnswer(flow: CompiledFlow, step: StepDef, value: AnswerValue, now: Date): boolean {
  if (value === '' && isInputStepDef(step) && step.optional === true) return true; // skipped on purpose
  switch (step.type) {
    case 'ask':
      return typeof value === 'string' && parseAsk(flow, step, value).ok;
    case 'choice':
      return typeof value === 'string' && step.options.some((o) => o.value === value);
    case 'multi':
      return (
        Array.isArray(value) &&
        value.every((v) => step.options.some((o) => o.value === v)) &&
        countProblem(step, value.length) === null
      );
    case 'number':
      return typeof value === 'number' && numberProblem(step, value) === null;
    case 'date':
      return typeof value === 'string' && dateInRange(step, value, now) === null;
    case 'time':
      return typeof value === 'string' && parseTime(value) === value;
    case 'member':
      return isMemberRef(value);
    case 'confirm':
      return typeof value === 'boolean';
    case 'summary':
    case 'branch':
    case 'action':
    case 'message':
    case 'end':
      return false;
    default:
      return assertNever(step, 'step');
  }
}

/** An answer as the expression language sees it: members by name, everything else as stored. */
export function exprValue(value: AnswerValue | undefined): ExprValue {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') return value.name;
  return value;
}

function isInputStepDef(step: StepDef): step is InputStepDef {
  return ['ask', 'choice', 'multi', 'number', 'date', 'time', 'member'].includes(step.type);
}
