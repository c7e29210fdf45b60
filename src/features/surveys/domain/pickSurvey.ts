import { normalizeText, parseIndex } from '../../../flows/index.js';

/**
 * Which of the listed surveys a citizen's message picks: its number in the list (「1」「第一个」), or words of a
 * title only one of them has (「民生实事」). null: none or several.
 */
export function pickSurvey<T extends { title: string }>(text: string, listed: readonly T[]): T | null {
  const n = parseIndex(text);
  if (n !== null) return listed[n - 1] ?? null;
  const t = normalizeText(text).replace(/^(?:我要?|想)?(?:参加|填写?|做)?/u, '');
  if ([...t].length < 2) return null;
  const hits = listed.filter((s) => normalizeText(s.title).includes(t));
  return hits.length === 1 ? (hits[0] ?? null) : null;
}
