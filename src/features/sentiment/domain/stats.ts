/** 社情民意 statistics for staff: by month, 类别 and 界别; 采用率; 批示 count. Pure over the year's reports. */
import type { SentimentSource, SentimentState } from './states.js';

export interface StatsInput {
  /** 1-12, China time, of the submission. */
  month: number;
  category: string | null;
  /** The reporter's 界别 (citizens: null). */
  sector: string | null;
  source: SentimentSource;
  state: SentimentState;
  instructions: number;
}

export interface SentimentStats {
  total: number;
  byMonth: { month: number; count: number }[];
  byCategory: { category: string; count: number }[];
  bySector: { sector: string; count: number }[];
  fromCitizens: number;
  /** Reviewed (anything but pending / returned). */
  reviewed: number;
  adopted: number;
  /** adopted / reviewed, 0 when none reviewed. */
  adoptionRate: number;
  instructions: number;
}

const ADOPTED: readonly SentimentState[] = ['adopted', 'reported', 'forwarded', 'handled'];

function countBy(items: readonly string[]): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const k of items) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, 'zh'));
}

export function sentimentStats(reports: readonly StatsInput[]): SentimentStats {
  const reviewed = reports.filter((r) => r.state !== 'pending' && r.state !== 'returned').length;
  const adopted = reports.filter((r) => ADOPTED.includes(r.state)).length;
  const months = new Map<number, number>();
  for (const r of reports) months.set(r.month, (months.get(r.month) ?? 0) + 1);
  return {
    total: reports.length,
    byMonth: [...months.entries()].sort((a, b) => a[0] - b[0]).map(([month, count]) => ({ month, count })),
    byCategory: countBy(reports.map((r) => r.category ?? '未分类')).map((x) => ({
      category: x.key,
      count: x.count,
    })),
    bySector: countBy(reports.map((r) => (r.source === 'citizen' ? '群众' : (r.sector ?? '未填界别')))).map(
      (x) => ({ sector: x.key, count: x.count }),
    ),
    fromCitizens: reports.filter((r) => r.source === 'citizen').length,
    reviewed,
    adopted,
    adoptionRate: reviewed === 0 ? 0 : adopted / reviewed,
    instructions: reports.reduce((n, r) => n + r.instructions, 0),
  };
}

/** The statistics as one chat message. */
export function formatStats(year: number, s: SentimentStats): string {
  if (s.total === 0) return `${year} 年还没有收到社情民意信息。`;
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  return [
    `${year} 年社情民意统计：共 ${s.total} 篇（群众线索 ${s.fromCitizens} 篇）`,
    `已审核 ${s.reviewed} 篇，采用 ${s.adopted} 篇，采用率 ${pct(s.adoptionRate)}；领导批示 ${s.instructions} 次。`,
    `按月：${s.byMonth.map((m) => `${m.month}月 ${m.count}`).join('，')}`,
    `按类别：${s.byCategory.map((c) => `${c.category} ${c.count}`).join('，')}`,
    `按界别：${s.bySector.map((c) => `${c.sector} ${c.count}`).join('，')}`,
  ].join('\n');
}
