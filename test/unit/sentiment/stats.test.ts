import { describe, expect, it } from 'vitest';
import {
  formatStats,
  sentimentStats,
  type StatsInput,
} from '../../../src/features/sentiment/domain/index.js';

const r = (over: Partial<StatsInput>): StatsInput => ({
  month: 3,
  category: '社会民生',
  sector: '经济界',
  source: 'member',
  state: 'pending',
  instructions: 0,
  ...over,
});

describe('sentimentStats', () => {
  it('counts by month, 类别 and 界别, the 采用率 over reviewed reports and the 批示', () => {
    const s = sentimentStats([
      r({ state: 'adopted', instructions: 2 }),
      r({ month: 1, state: 'kept', category: '生态环境' }),
      r({ month: 3, state: 'forwarded', sector: '教育界', instructions: 1 }),
      r({ month: 5, state: 'pending', source: 'citizen', sector: null, category: null }),
      r({ month: 5, state: 'returned' }),
    ]);
    expect(s.total).toBe(5);
    expect(s.byMonth).toEqual([
      { month: 1, count: 1 },
      { month: 3, count: 2 },
      { month: 5, count: 2 },
    ]);
    expect(s.byCategory).toEqual([
      { category: '社会民生', count: 3 },
      { category: '生态环境', count: 1 },
      { category: '未分类', count: 1 },
    ]);
    expect(s.bySector.find((x) => x.sector === '群众')).toEqual({ sector: '群众', count: 1 });
    expect(s.reviewed).toBe(3);
    expect(s.adopted).toBe(2);
    expect(s.adoptionRate).toBeCloseTo(2 / 3);
    expect(s.instructions).toBe(3);
    expect(s.fromCitizens).toBe(1);
    expect(formatStats(2026, s)).toContain('采用率 66.7%');
  });

  it('an empty year says so', () => {
    expect(formatStats(2026, sentimentStats([]))).toBe('2026 年还没有收到社情民意信息。');
  });
});
