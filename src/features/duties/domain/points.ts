/** 履职积分 from recorded duties and the rules in force. Pure. */
import { DUTY_ITEMS, DUTY_ITEM_LABELS, type DutyItem, type PointsRules } from './rules.js';

/** How often each kind of duty happened in the year. */
export type DutyCounts = Readonly<Record<DutyItem, number>>;

export const NO_DUTIES: DutyCounts = Object.fromEntries(DUTY_ITEMS.map((k) => [k, 0])) as Record<
  DutyItem,
  number
>;

export interface PointsLine {
  item: DutyItem;
  label: string;
  count: number;
  /** Per occurrence. */
  each: number;
  /** After the cap. */
  points: number;
  /** The cap took something off. */
  capped: boolean;
}

export interface PointsResult {
  total: number;
  lines: PointsLine[];
  /** Minimum duties not met yet, in words (「今年还没有提交提案（至少 1 件）」). */
  open: string[];
  /** Below the 退出关 points threshold. */
  belowThreshold: boolean;
  /** Why the member is on the 退出关 list (points below the line, too many 无故缺席); empty when not. */
  exitReasons: string[];
}

const round = (x: number): number => Math.round(x * 10) / 10;

export function computePoints(counts: DutyCounts, rules: PointsRules): PointsResult {
  const lines: PointsLine[] = [];
  for (const item of DUTY_ITEMS) {
    const count = counts[item];
    const rule = rules.items[item];
    if (count === 0 || !rule) continue;
    const raw = count * rule.points;
    const limited = rule.cap === undefined ? raw : Math.sign(raw) * Math.min(Math.abs(raw), rule.cap);
    lines.push({
      item,
      label: DUTY_ITEM_LABELS[item],
      count,
      each: rule.points,
      points: round(limited),
      capped: limited !== raw,
    });
  }
  const total = round(lines.reduce((n, l) => n + l.points, 0));
  const m = rules.minimums ?? {};
  const meetings = counts.meeting_attend;
  const proposals = counts.proposal_first + counts.proposal_joint;
  const open = [
    ...(m.meetings && meetings < m.meetings
      ? [`会议活动参加 ${meetings} 次，每年至少 ${m.meetings} 次`]
      : []),
    ...(m.proposals && proposals < m.proposals
      ? [
          proposals === 0
            ? `今年还没有提交提案（至少 ${m.proposals} 件）`
            : `提案 ${proposals} 件，每年至少 ${m.proposals} 件`,
        ]
      : []),
    ...(m.sentiment && counts.sentiment_submitted < m.sentiment
      ? [
          counts.sentiment_submitted === 0
            ? `今年还没有报送社情民意（至少 ${m.sentiment} 篇）`
            : `社情民意 ${counts.sentiment_submitted} 篇，每年至少 ${m.sentiment} 篇`,
        ]
      : []),
  ];
  const belowThreshold = rules.exitBelowPoints !== undefined && total < rules.exitBelowPoints;
  const absent = counts.meeting_absent;
  const exitReasons = [
    ...(belowThreshold ? [`积分 ${total} 分，低于 ${rules.exitBelowPoints} 分`] : []),
    ...(rules.exitAbsentAtLeast !== undefined && absent >= rules.exitAbsentAtLeast
      ? [`无故缺席 ${absent} 次（达到 ${rules.exitAbsentAtLeast} 次）`]
      : []),
  ];
  return { total, lines, open, belowThreshold, exitReasons };
}

/** A member's year as one chat message. */
export function formatPoints(year: number, name: string, rulesName: string, r: PointsResult): string {
  return [
    `${name} ${year} 年履职积分：${r.total} 分（${rulesName}）`,
    ...(r.lines.length === 0
      ? ['今年还没有记录到履职事项。']
      : r.lines.map(
          (l) => `· ${l.label} ${l.count} 次 × ${l.each} = ${l.points} 分${l.capped ? '（已达上限）' : ''}`,
        )),
    ...(r.open.length > 0 ? ['尚未完成：', ...r.open.map((o) => `· ${o}`)] : ['年度基本履职要求均已完成。']),
  ].join('\n');
}
