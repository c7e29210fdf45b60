import { describe, expect, it } from 'vitest';
import {
  computePoints,
  formatPoints,
  NO_DUTIES,
  type DutyCounts,
  type PointsRules,
} from '../../../src/features/duties/domain/index.js';
import { loadPointsRules } from '../../../src/features/duties/pointsRules.js';

const rules: PointsRules = {
  name: '测试规则',
  items: {
    meeting_attend: { points: 5, cap: 12 },
    meeting_no_reply: { points: -5, cap: 8 },
    proposal_first: { points: 5 },
    proposal_filed_first: { points: 15 },
    sentiment_submitted: { points: 3, cap: 15 },
    sentiment_adopted_city: { points: 10 },
    sentiment_instruction: { points: 10 },
  },
  minimums: { meetings: 3, proposals: 1, sentiment: 1 },
  exitBelowPoints: 60,
};
const counts = (over: Partial<Record<keyof DutyCounts, number>>): DutyCounts => ({ ...NO_DUTIES, ...over });

describe('履职积分 on hand-computed cases', () => {
  it('counts × points, each item capped, deductions capped too, unlisted items ignored', () => {
    const r = computePoints(
      counts({
        meeting_attend: 3,
        meeting_no_reply: 2,
        proposal_first: 1,
        proposal_filed_first: 1,
        meeting_leave: 4,
      }),
      rules,
    );
    // 3 × 5 = 15 → cap 12; 2 × −5 = −10 → cap 8 → −8; 5; 15. Total 12 − 8 + 5 + 15 = 24.
    expect(r.lines.map((l) => [l.item, l.points, l.capped])).toEqual([
      ['meeting_attend', 12, true],
      ['meeting_no_reply', -8, true],
      ['proposal_first', 5, false],
      ['proposal_filed_first', 15, false],
    ]);
    expect(r.total).toBe(24);
    expect(r.belowThreshold).toBe(true);
    expect(r.open).toEqual(['今年还没有报送社情民意（至少 1 篇）']);
  });

  it('a 社情民意 adopted at 市 level with one 批示: 3 + 10 + 10', () => {
    const r = computePoints(
      counts({ sentiment_submitted: 1, sentiment_adopted_city: 1, sentiment_instruction: 1 }),
      rules,
    );
    expect(r.total).toBe(23);
    expect(r.open).toEqual(['会议活动参加 0 次，每年至少 3 次', '今年还没有提交提案（至少 1 件）']);
    expect(formatPoints(2026, '张三', rules.name, r)).toContain('· 社情民意市级采用 1 次 × 10 = 10 分');
  });

  it('退出关: points below the line and 无故缺席 at the limit are each a reason; 重点 and 优秀 count per proposer role', () => {
    const strict: PointsRules = {
      ...rules,
      items: {
        ...rules.items,
        meeting_absent: { points: -10, cap: 20 },
        proposal_key_first: { points: 15 },
        proposal_key_joint: { points: 3 },
        proposal_excellent_first: { points: 10 },
        proposal_excellent_joint: { points: 2 },
      },
      exitAbsentAtLeast: 2,
    };
    // 5 + 15 + 15 + 10 = 45 for the first proposer of a 重点, 优秀 proposal; 2 无故缺席 −20 → 25.
    const first = computePoints(
      counts({
        proposal_first: 1,
        proposal_filed_first: 1,
        proposal_key_first: 1,
        proposal_excellent_first: 1,
        meeting_absent: 2,
      }),
      strict,
    );
    expect(first.total).toBe(25);
    expect(first.exitReasons).toEqual(['积分 25 分，低于 60 分', '无故缺席 2 次（达到 2 次）']);
    // A co-signer of the same proposal: only the 联名 items count (3 + 2), no first-proposer items.
    const joint = computePoints(counts({ proposal_key_joint: 1, proposal_excellent_joint: 1 }), strict);
    expect(joint.total).toBe(5);
    const fine = computePoints(
      counts({ meeting_attend: 2, sentiment_adopted_city: 6, meeting_absent: 1 }),
      strict,
    );
    expect(fine.total).toBe(60);
    expect(fine.exitReasons).toEqual([]);
  });

  it('nothing recorded: 0 points and every minimum open', () => {
    const r = computePoints(NO_DUTIES, rules);
    expect(r).toMatchObject({ total: 0, lines: [] });
    expect(r.open).toHaveLength(3);
    expect(formatPoints(2026, '李四', rules.name, r)).toContain('今年还没有记录到履职事项');
  });

  it('the shipped rule files are valid; a broken one is named with its problem', async () => {
    const main = await loadPointsRules('flows/duties/points.yaml');
    const tongcheng = await loadPointsRules('flows/duties/examples/tongcheng.yaml');
    expect(main.ok && tongcheng.ok).toBe(true);
    if (tongcheng.ok)
      // 桐城: a proposal 10 + 立案 15 = 25 for the first proposer; 2 meetings × 2.
      expect(
        computePoints(
          counts({ proposal_first: 1, proposal_filed_first: 1, meeting_attend: 2 }),
          tongcheng.rules,
        ).total,
      ).toBe(29);
    const missing = await loadPointsRules('duties/none.yaml');
    expect(missing.ok).toBe(false);
  });
});
