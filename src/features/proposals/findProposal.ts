import { normalizeWidth } from '../../flows/normalize.js';
import type { Proposal } from './ports.js';

/**
 * A proposal reference in the member's words: a bare number is a position in the numbered 我的提案 list (「1」「２」);
 * 第3号 / 3号 / 3号提案 / 〔2026〕第003号 is the proposal number; anything else is matched against the titles
 * (「养老」, 「我那个关于养老的提案到哪一步了」) — the title sharing the longest run of meaningful characters wins.
 */
export function findProposal(list: readonly Proposal[], query: string): Proposal | null {
  const q = normalizeWidth(query)
    .replace(/[\s「」“”"'《》]/g, '')
    .replace(/[。.!！?？~]+$/u, '');
  if (!q) return null;
  const position = /^(\d+)$/.exec(q) ?? /^第(\d+)[个件条项]$/.exec(q);
  if (position) return list[Number(position[1]) - 1] ?? null;
  const numbered = /(?:〔(\d{4})〕)?第?0*(\d+)号/.exec(q) ?? /^第0*(\d+)$/.exec(q);
  if (numbered) {
    const year = numbered.length === 3 && numbered[1] ? Number(numbered[1]) : null;
    const seq = Number(numbered[numbered.length - 1]);
    return list.find((p) => p.seq === seq && (year === null || p.year === year)) ?? null;
  }
  return list.find((p) => p.number === q) ?? byTitleWords(list, q);
}

/** Words every title or question has, which say nothing about which proposal is meant. */
const FILLER =
  /关于|的建议|建议|提案|我那个|那个|这个|我的|我们|一下|到哪一步了|哪一步|怎么样了|办得|进度|情况|查询|查看|看看|查|谁在办|加强|进一步|推进|的|了|吗|呢|啊/g;

function byTitleWords(list: readonly Proposal[], query: string): Proposal | null {
  const q = query.replace(FILLER, ' ');
  let best: Proposal | null = null;
  let bestLen = 1; // a single shared character is chance
  // Strictly longer wins, so of two titles equally close the newest (the list is newest first) is taken.
  for (const p of list) {
    const len = longestCommonRun(q, p.title.replace(FILLER, ' '));
    if (len > bestLen) {
      best = p;
      bestLen = len;
    }
  }
  return best;
}

/** Length of the longest run of characters (no spaces) both strings contain. */
function longestCommonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k] && a[i + k] !== ' ') k++;
      if (k > best) best = k;
    }
  }
  return best;
}
