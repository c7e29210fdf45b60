import { formatShanghaiDate } from '../../shared/chinaTime.js';
import { PROPOSAL_STATUS_LABELS } from './domain/index.js';
import type { Proposal, ProposalEvent } from './ports.js';

/** By list position, by number (12, 第012号, 〔2026〕第012号) or by a word of the title. */
export function findProposal(list: readonly Proposal[], query: string): Proposal | null {
  const q = query.trim();
  if (!q) return null;
  const digits = /^(?:〔\d{4}〕)?第?0*(\d+)号?$/.exec(q);
  if (digits) {
    const n = Number(digits[1]);
    return list.find((p) => p.seq === n) ?? list[n - 1] ?? null;
  }
  return list.find((p) => p.number === q) ?? list.find((p) => p.title.includes(q)) ?? null;
}

/** The proposal's state and every step it went through, for 我的提案 / 查提案. */
export function proposalTimeline(p: Proposal, events: readonly ProposalEvent[]): string {
  return [
    `${p.number}《${p.title}》`,
    `当前状态：${PROPOSAL_STATUS_LABELS[p.status]}`,
    '办理进程：',
    ...events.map(
      (e) =>
        `· ${formatShanghaiDate(e.at)} ${PROPOSAL_STATUS_LABELS[e.status]}${e.note ? `（${e.note}）` : ''}`,
    ),
  ].join('\n');
}
