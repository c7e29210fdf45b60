import type { Database, Member } from '../../core/ports.js';
import { computePoints, type PointsResult, type PointsRules } from './domain/index.js';
import { dutyRecord, type DutyRecord } from './dutyRecord.js';

export interface MemberDuties {
  member: Member;
  record: DutyRecord;
  points: PointsResult;
}

/** Every active member's (委员, not staff) record and points for the year, highest total first. */
export async function allMemberDuties(
  db: Database,
  rules: PointsRules,
  year: number,
  now: Date,
): Promise<MemberDuties[]> {
  const members = (await db.members.list()).filter((m) => m.active && m.role === 'member');
  const out: MemberDuties[] = [];
  for (const member of members) {
    const record = await dutyRecord(db, member, year, now);
    out.push({ member, record, points: computePoints(record.counts, rules) });
  }
  return out.sort(
    (a, b) => b.points.total - a.points.total || a.member.userId.localeCompare(b.member.userId),
  );
}

/** 履职统计 for staff as one chat message: per member, per 界别, and who is below the threshold or the minimums. */
export function formatDutyStats(
  year: number,
  rulesName: string,
  list: readonly MemberDuties[],
  rules: PointsRules,
): string {
  if (list.length === 0) return '名册中还没有委员。';
  const sectors = new Map<string, number[]>();
  for (const d of list) {
    const s = d.member.sector ?? '未填界别';
    sectors.set(s, [...(sectors.get(s) ?? []), d.points.total]);
  }
  const avg = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  const exit = list.filter((d) => d.points.exitReasons.length > 0);
  const unmet = list.filter((d) => d.points.open.length > 0);
  const shown = list.slice(0, 30);
  return [
    `${year} 年履职统计（${rulesName}），委员 ${list.length} 人：`,
    ...shown.map(
      (d, i) => `${i + 1}. ${d.member.name}（${d.member.sector ?? '未填界别'}）${d.points.total} 分`,
    ),
    ...(list.length > shown.length
      ? [`……另有 ${list.length - shown.length} 人，完整名单请导出 Excel。`]
      : []),
    `按界别（人均）：${[...sectors.entries()].map(([s, xs]) => `${s} ${avg(xs)} 分（${xs.length} 人）`).join('，')}`,
    rules.exitBelowPoints === undefined && rules.exitAbsentAtLeast === undefined
      ? '未设置退出关条件。'
      : exit.length === 0
        ? `退出关：没有委员${[
            ...(rules.exitBelowPoints !== undefined ? [`低于 ${rules.exitBelowPoints} 分`] : []),
            ...(rules.exitAbsentAtLeast !== undefined ? [`无故缺席达 ${rules.exitAbsentAtLeast} 次`] : []),
          ].join('或')}。`
        : `退出关名单：${exit.map((d) => `${d.member.name}（${d.points.exitReasons.join('；')}）`).join('、')}`,
    unmet.length === 0
      ? '全部委员已完成年度基本履职要求。'
      : `未完成基本履职要求：${unmet.map((d) => `${d.member.name}（${d.points.open.join('；')}）`).join('、')}`,
  ].join('\n');
}
