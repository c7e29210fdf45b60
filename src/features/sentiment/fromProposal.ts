import type { Change, Database } from '../../core/ports.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import { formatReportNumber } from './domain/index.js';
import { sentimentStore } from './sentimentStore.js';

/** What a 不予立案 proposal carries over into a 社情民意 report. */
export interface ProposalForSentiment {
  id: number;
  /** 〔2026〕第012号. */
  number: string;
  ownerId: string;
  title: string;
  category: string | null;
  /** 案由. */
  reason: string;
  /** 具体建议. */
  suggestions: string;
}

/**
 * 转社情民意: the changes that turn a 不予立案 proposal (with the member's consent) into a pending 社情民意 report
 * carrying its text; commit them with the proposal's own change. Idempotent per proposal (submit key
 * `proposal:<id>`): calling it twice, or committing twice, makes one report. Returns the report's number.
 */
export async function sentimentFromProposal(
  db: Database,
  proposal: ProposalForSentiment,
  now: Date,
): Promise<{ number: string; duplicate: boolean; changes: Change[] }> {
  const store = sentimentStore(db);
  const submitKey = `proposal:${proposal.id}`;
  const existing = await store.getBySubmitKey(submitKey);
  if (existing) return { number: existing.number, duplicate: true, changes: [] };
  const year = shanghaiParts(now).year;
  const seq = (await store.maxSeq(year)) + 1;
  const number = formatReportNumber(year, seq);
  const title = proposal.title.replace(/的建议$/u, '的情况反映');
  return {
    number,
    duplicate: false,
    changes: [
      {
        type: 'sentiment.submit',
        actorId: proposal.ownerId,
        at: now,
        report: {
          submitKey,
          year,
          seq,
          number,
          source: 'member',
          reporterId: proposal.ownerId,
          jointIds: [],
          replyTo: null,
          replyChannel: null,
          title: [...title].slice(0, 255).join(''),
          category: proposal.category,
          situation: proposal.reason,
          analysis: `（由提案 ${proposal.number} 经提案人同意转为社情民意）`,
          suggestions: proposal.suggestions,
          town: null,
          contact: null,
          proposalId: proposal.id,
        },
      },
    ],
  };
}
