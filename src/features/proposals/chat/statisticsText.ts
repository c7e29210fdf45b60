import { PROPOSAL_STATUS_LABELS, PROPOSAL_STATUSES } from '../domain/index.js';
import type { ProposalStatistics } from '../lifecycle/types.js';

const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** 提案统计 for staff in chat: counts by state, the three rates, by 类别 and by 承办单位. */
export function statisticsText(s: ProposalStatistics): string {
  if (s.total === 0) return `${s.year}年还没有提案。`;
  const byStatus = PROPOSAL_STATUSES.filter((st) => (s.byStatus[st] ?? 0) > 0).map(
    (st) => `${PROPOSAL_STATUS_LABELS[st]} ${s.byStatus[st]}`,
  );
  return [
    `${s.year}年提案统计（共 ${s.total} 件）`,
    `按状态：${byStatus.join('，')}`,
    `立案率：${pct(s.registrationRate)}；按期办复率：${pct(s.onTimeReplyRate)}；满意率：${pct(s.satisfactionRate)}`,
    ...(s.byCategory.length > 0
      ? [
          '按类别：',
          ...s.byCategory.map(
            (c) => `· ${c.category}：${c.total} 件，立案 ${c.registered}，办结 ${c.closed}`,
          ),
        ]
      : []),
    ...(s.byUnit.length > 0
      ? [
          '按承办单位：',
          ...s.byUnit.map(
            (u) =>
              `· ${u.unit}：主办 ${u.host}，会办 ${u.co}，已答复 ${u.replied}（按期 ${u.onTime}），逾期 ${u.overdue}，满意 ${u.satisfied}`,
          ),
        ]
      : []),
  ].join('\n');
}
