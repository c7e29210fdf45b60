import type { ChoiceOptionDef } from './schema.js';
import { clauses, normalizeText, normalizeWidth } from './normalize.js';

export { normalizeText } from './normalize.js';

/**
 * Tolerant recognisers for Chinese users typing on phones: full-width digits and punctuation (NFKC), Chinese
 * numerals, 第二个-style ordinals, yes/no words. Never throw; `null` means "not recognised".
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  两: 2,
  贰: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const UNITS: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
  万: 10000,
};

function digitOf(ch: string): number | undefined {
  return Object.hasOwn(DIGITS, ch) ? DIGITS[ch] : undefined;
}
function unitOf(ch: string): number | undefined {
  return Object.hasOwn(UNITS, ch) ? UNITS[ch] : undefined;
}

/** 三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二六 → 2026 (digit by digit when there is no unit). */
export function parseChineseInt(text: string): number | null {
  const chars = [...text];
  if (chars.length === 0) return null;
  if (!chars.every((c) => digitOf(c) !== undefined || unitOf(c) !== undefined)) return null;
  if (chars.every((c) => digitOf(c) !== undefined)) {
    return chars.reduce((acc, c) => acc * 10 + (digitOf(c) ?? 0), 0);
  }
  let total = 0;
  let section = 0;
  let current: number | null = null;
  for (const c of chars) {
    const d = digitOf(c);
    if (d !== undefined) {
      if (current !== null && current !== 0) return null; // 三四十: two digits in a row
      current = d;
      continue;
    }
    const u = unitOf(c) ?? 1;
    if (u === 10000) {
      total += (section + (current ?? 0)) * u;
      section = 0;
    } else {
      section += (current ?? 1) * u;
    }
    current = null;
  }
  return total + section + (current ?? 0);
}

/** A non-negative integer in ASCII/full-width digits or Chinese numerals. */
export function parseInteger(text: string): number | null {
  const t = normalizeText(text);
  if (/^\d{1,9}$/.test(t)) return Number(t);
  return parseChineseInt(t);
}

/** 2 / ２ / 二 / 第二个 / 第2项 / 2号 / 选2 / 我选第二个 → 2. */
export function parseIndex(text: string): number | null {
  const t = normalizeText(text)
    .replace(/^(?:我)?(?:就)?(?:选择?|要)?\s*第?\s*/u, '')
    .replace(/\s*[个项条号种]$/u, '');
  return parseInteger(t);
}

/** A decimal number: -3, 2.5, ３０, 三十. Thousands separators are not accepted (ambiguous with lists). */
export function parseNumber(text: string): number | null {
  const t = normalizeText(text);
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
  return parseChineseInt(t);
}

const NUMBER_WITH_UNIT =
  /([+-]?\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*(分|星|颗星|岁|个|人|次|元|万元|户|天|年)?/gu;

/**
 * The one number a sentence gives (「都挺好的给4分吧」「打五分」「大概30人」): digits anywhere, Chinese numerals only
 * with a unit after them (so 一般 is not 1). A number with a unit wins over bare ones; several candidates → null.
 */
export function parseNumberInSentence(text: string): number | null {
  const whole = parseNumber(text);
  if (whole !== null) return whole;
  const t = normalizeWidth(text);
  const found: { value: number; unit: boolean }[] = [];
  for (const m of t.matchAll(NUMBER_WITH_UNIT)) {
    const raw = m[1] ?? '';
    const unit = m[2] !== undefined;
    const digits = /\d/.test(raw);
    if (!digits && !unit) continue;
    const value = digits ? Number(raw) : parseChineseInt(raw);
    if (value !== null && Number.isFinite(value)) found.push({ value, unit });
  }
  const withUnit = found.filter((f) => f.unit);
  const pool = withUnit.length > 0 ? withUnit : found;
  const values = [...new Set(pool.map((f) => f.value))];
  return values.length === 1 ? (values[0] ?? null) : null;
}

const SKIP =
  /^(?:我)?(?:这[一]?题|这个|此题)?(?:跳过|略过|不想说|不想回答|不想填|不愿说|不愿回答|不愿透露|不愿意透露|不愿意说|不方便说|不方便透露|不便透露|不便回答|保密|不回答|暂不回答|不填|不说|下一题)(?:这[一]?题|吧|了)*$/u;

/** An answer that declines the question (跳过, 不想说, 不愿透露, 保密 …), for questions marked optional. */
export function isSkipAnswer(text: string): boolean {
  return SKIP.test(normalizeText(text).replace(/\s+/g, ''));
}

/** Written naturally; compared through `normalizeText`, so 「不用了」 also covers 「不用」「不用了吧」. */
const YES = [
  '是',
  '是的',
  '是滴',
  '好',
  '好的',
  '好滴',
  '好嘞',
  '确认',
  '确定',
  '对',
  '对的',
  '对对',
  '没错',
  '可以',
  '可',
  '提交',
  '确认提交',
  '没问题',
  '行',
  '同意',
  '要',
  '需要',
  '愿意',
  '有',
  '嗯',
  '嗯嗯',
  '当然',
  '继续',
  'yes',
  'y',
  'ok',
  'okay',
];
const NO = [
  '否',
  '不',
  '不是',
  '不对',
  '算了',
  '不要',
  '不要了',
  '不用',
  '不用了',
  '不必',
  '无需',
  '免了',
  '不行',
  '不可以',
  '先不',
  '先不用',
  '暂不',
  '暂时不',
  '暂时不用',
  '不提交',
  '不同意',
  '不需要',
  '不愿意',
  '不想',
  '没有',
  '没',
  '别',
  '无',
  'no',
  'n',
  'nope',
];
/** Politeness around an answer: 「好的，谢谢」 is a yes, 「不用了，谢谢」 a no. */
const NEUTRAL = ['谢谢', '谢了', '多谢', '辛苦', '辛苦了', '麻烦了', '那个', '哦', '噢', '好吧'];

const normalized = (words: readonly string[]): ReadonlySet<string> => new Set(words.map(normalizeText));
const YES_SET = normalized(YES);
const NO_SET = normalized(NO);
const NEUTRAL_SET = normalized(NEUTRAL);

const INTERJECTION = /^(?:嗯|哦|噢|喔|额|呃|那就|那|就)+/u;
const NEGATION =
  /^(?:不需要|不用|不要|不必|无需|不想|不愿意|不打算|暂时不|暂不|先不|不|别|没有|没)(?:再)?(.+)$/u;
const AFFIRMATION = /^(?:我)?(?:要|需要|想|愿意|同意|可以|确认|就)?(.+)$/u;

/**
 * What a confirm question is about, for answers that echo or negate it: the question sentence (「是否同意公开这件
 * 提案」) and the actions the hint offers for 是 / 否 (「回复「是」发送，回复「否」返回修改」).
 */
export interface ConfirmSubject {
  question: string;
  yes: readonly string[];
  no: readonly string[];
}

/** Reads the subject from a confirm prompt (template placeholders ignored). */
export function confirmSubject(prompt: string): ConfirmSubject {
  const plain = normalizeWidth(prompt.replace(/\{\{[^}]*\}\}/g, ' '));
  const hint = (word: string): string[] =>
    [...plain.matchAll(new RegExp(`「${word}」([^,;)」「(\\s]+)`, 'gu'))]
      .map((m) => normalizeText(m[1] ?? ''))
      .filter((a) => a !== '' && !a.startsWith('或'));
  const sentences = plain.split(/\n|\(|[.!;]/u);
  const question = sentences.find((q) => q.includes('?')) ?? plain;
  return { question: question.replace(/\?.*$/u, '').replace(/\s+/g, ''), yes: hint('是'), no: hint('否') };
}

function confirmWord(t: string, subject: ConfirmSubject | undefined): boolean | null {
  if (YES_SET.has(t)) return true;
  if (NO_SET.has(t)) return false;
  if (subject !== undefined) {
    if (subject.no.some((a) => a === t || (t.length >= 2 && a.includes(t)))) return false;
    if (subject.yes.some((a) => a === t || (t.length >= 2 && a.includes(t)))) return true;
    const negated = NEGATION.exec(t)?.[1];
    if (negated !== undefined && subject.question.includes(negated)) return false;
    const echoed = AFFIRMATION.exec(t)?.[1];
    if (echoed !== undefined && echoed.length >= 2 && subject.question.includes(echoed)) return true;
  }
  const rest = t.replace(INTERJECTION, '');
  return rest !== '' && rest !== t ? confirmWord(rest, subject) : null;
}

/**
 * true = yes, false = no, null = neither. Everyday forms (好的 / 行 / 嗯嗯 / 不用了 / 算了), compound answers whose
 * clauses agree (「没问题，提交吧」), and, given the question's subject, an echo or negation of it (「公开」 / 「不公开」 to
 * 是否同意公开). 取消 is deliberately absent: it is the global cancel command.
 */
export function parseConfirm(text: string, subject?: ConfirmSubject): boolean | null {
  if (/\?$/u.test(normalizeWidth(text))) return null; // 「嗯？」「可以吗？」 ask back; they do not answer
  const whole = confirmWord(normalizeText(text).replace(/\s+/g, ''), subject);
  if (whole !== null) return whole;
  let verdict: boolean | null = null;
  for (const part of clauses(text)) {
    const v = confirmWord(part.replace(/\s+/g, ''), subject);
    if (v === null) {
      if (NEUTRAL_SET.has(part)) continue;
      return null;
    }
    if (verdict !== null && verdict !== v) return null;
    verdict = v;
  }
  return verdict;
}

const CHOOSING = /^(?:我)?(?:就)?(?:选择?|要|是)\s*/u;

/**
 * The 0-based option chosen by number (1-based, any numeral), label, value or synonym; a unique partial label; or,
 * in a longer answer, the one option whose label or synonym it contains (「我选教育」「那天要出差」).
 */
export function parseChoice(text: string, options: readonly ChoiceOptionDef[]): number | null {
  const t = normalizeText(text);
  if (t === '') return null;
  const n = parseIndex(t);
  if (n !== null) return n >= 1 && n <= options.length ? n - 1 : null;
  const names = (o: ChoiceOptionDef): string[] =>
    [o.label, o.value, ...(o.synonyms ?? [])].map(normalizeText);
  for (const wanted of [t, t.replace(CHOOSING, '')]) {
    if (wanted === '') continue;
    const exact = options.findIndex((o) => names(o).includes(wanted));
    if (exact >= 0) return exact;
  }
  const partial = options.flatMap((o, i) => (normalizeText(o.label).includes(t) ? [i] : []));
  if (partial.length === 1 && partial[0] !== undefined) return partial[0];
  if (partial.length > 1) return null;
  return containedOption(t, options);
}

/** The single option named inside a longer answer; null when none or several are. */
export function containedOption(text: string, options: readonly ChoiceOptionDef[]): number | null {
  const t = normalizeText(text);
  const hits = options.flatMap((o, i) =>
    [o.label, ...(o.synonyms ?? [])].some((w) => {
      const word = normalizeText(w);
      return word.length >= 2 && t.includes(word);
    })
      ? [i]
      : [],
  );
  return hits.length === 1 && hits[0] !== undefined ? hits[0] : null;
}

/** "1 3" / "1、3" / "1,3" / "经济和教育" → 0-based indexes, deduplicated, in the order given. */
export function parseMultiChoice(
  text: string,
  options: readonly ChoiceOptionDef[],
): { ok: true; indexes: number[] } | { ok: false; bad: string } {
  const tokens = normalizeText(text)
    .split(/[\s,;、/]+|和|及|与/)
    .filter((s) => s !== '');
  const indexes: number[] = [];
  for (const token of tokens) {
    const i = parseChoice(token, options);
    if (i !== null) {
      if (!indexes.includes(i)) indexes.push(i);
      continue;
    }
    // "13" with four options: the user meant 1 and 3 (with ten or more options, "99" is just out of range).
    if (
      options.length < 10 &&
      /^\d+$/.test(token) &&
      [...token].every((d) => Number(d) >= 1 && Number(d) <= options.length)
    ) {
      for (const d of token) if (!indexes.includes(Number(d) - 1)) indexes.push(Number(d) - 1);
      continue;
    }
    return { ok: false, bad: token };
  }
  return { ok: true, indexes };
}
