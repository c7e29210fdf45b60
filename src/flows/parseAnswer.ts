import type { ChoiceOptionDef } from './schema.js';

/**
 * Tolerant recognisers for Chinese users typing on phones: full-width digits and punctuation (NFKC), Chinese
 * numerals, 第二个-style ordinals, yes/no words. Never throw; `null` means "not recognised".
 */

/** NFKC (full-width → ASCII, U+3000 → space), trimmed, inner whitespace collapsed, trailing 。！~ dropped. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。.!~]+$/u, '')
    .trim();
}

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

/** 2 / ２ / 二 / 第二个 / 第2项 / 2号 → 2. */
export function parseIndex(text: string): number | null {
  const t = normalizeText(text)
    .replace(/^第\s*/, '')
    .replace(/\s*[个项条号]$/, '');
  return parseInteger(t);
}

/** A decimal number: -3, 2.5, ３０, 三十. Thousands separators are not accepted (ambiguous with lists). */
export function parseNumber(text: string): number | null {
  const t = normalizeText(text);
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
  return parseChineseInt(t);
}

const YES = [
  '是',
  '是的',
  '好',
  '好的',
  '确认',
  '确定',
  '对',
  '对的',
  '可以',
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
  'yes',
  'y',
  'ok',
];
const NO = [
  '否',
  '不',
  '不是',
  '不对',
  '算了',
  '不要',
  '不用',
  '不行',
  '不可以',
  '先不',
  '不提交',
  '不同意',
  '不需要',
  '不愿意',
  '没有',
  '无',
  'no',
  'n',
];

/** true = yes, false = no, null = neither. 取消 is deliberately absent: it is the global cancel command. */
export function parseConfirm(text: string): boolean | null {
  const t = normalizeText(text).toLowerCase();
  if (YES.includes(t)) return true;
  if (NO.includes(t)) return false;
  return null;
}

/** The 0-based option chosen by number (1-based, any numeral), label, value or synonym; a unique partial label. */
export function parseChoice(text: string, options: readonly ChoiceOptionDef[]): number | null {
  const t = normalizeText(text).toLowerCase();
  if (t === '') return null;
  const n = parseIndex(t);
  if (n !== null) return n >= 1 && n <= options.length ? n - 1 : null;
  const same = (s: string): boolean => normalizeText(s).toLowerCase() === t;
  const exact = options.findIndex((o) => same(o.label) || same(o.value) || (o.synonyms ?? []).some(same));
  if (exact >= 0) return exact;
  const partial = options.flatMap((o, i) => (normalizeText(o.label).toLowerCase().includes(t) ? [i] : []));
  return partial.length === 1 && partial[0] !== undefined ? partial[0] : null;
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
