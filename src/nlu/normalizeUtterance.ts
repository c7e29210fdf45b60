import { normalizeWidth } from '../flows/normalize.js';
/**
 * What the matcher compares: the text folded to one width and case (NFKC: full-width letters, digits and
 * punctuation become ASCII), with punctuation, spaces and emoji removed — 「收到！准时参加。」 and 「收到准时参加」
 * are the same request. Digits are kept (3号提案). 提案's pinyin twins (题案, 体案, 堤案) are common phone typos.
 */
export function normalizeUtterance(text: string): string {
  return normalizeWidth(text)
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .replace(/[题堤体]案/g, '提案');
}
