import { describe, expect, it } from 'vitest';
import { checkReport } from '../../../src/features/sentiment/domain/index.js';

const good = {
  title: '关于城区学校周边交通拥堵的情况反映',
  situation: '城区实验小学周边道路上下学时段车辆拥堵严重，家长接送车辆占道停放，学生过马路存在安全隐患。',
  analysis: '学校周边缺少临时停车位，交警疏导力量不足。',
  suggestions: '1. 县公安局交警大队在上下学时段加强疏导；\n2. 县城管局规划临时接送停车区。',
};

describe('checkReport', () => {
  it('a clean report has no errors and no warnings', () => {
    expect(checkReport(good)).toEqual({ errors: [], warnings: [] });
  });

  it('lengths are errors naming the part and the bounds', () => {
    const r = checkReport({ ...good, title: '太短', analysis: '短' });
    expect(r.errors.map((e) => e.field)).toEqual(['title', 'analysis']);
    expect(r.errors[0]!.message).toBe('标题应为 5-40 字，现在是 2 字。');
  });

  it('一事一报: a title joining two problems is a warning', () => {
    const r = checkReport({ ...good, title: '关于学校周边交通拥堵和菜市场脏乱问题的反映' });
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.field)).toEqual(['title']);
    expect(r.warnings[0]!.message).toContain('一事一报');
  });

  it('一事一报: 「等问题」 and a situation listing 一是…二是…三是 are warnings', () => {
    expect(checkReport({ ...good, title: '关于农村养老服务等问题的反映' }).warnings[0]?.field).toBe('title');
    const listed = checkReport({
      ...good,
      situation: '一是学校周边交通拥堵，二是菜市场脏乱差，三是小区停车难，群众意见很大，反映强烈。',
    });
    expect(listed.warnings.map((w) => w.field)).toEqual(['situation']);
  });

  it('an analysis or suggestion copied from the situation, or a bare 「希望重视」, is an error', () => {
    expect(checkReport({ ...good, analysis: good.situation }).errors[0]?.field).toBe('analysis');
    expect(checkReport({ ...good, suggestions: '希望有关部门重视' }).errors[0]?.field).toBe('suggestions');
  });

  it('the same title as an earlier report of the member is an error', () => {
    const r = checkReport(good, ['关于城区学校周边交通拥堵的情况反映。']);
    expect(r.errors).toEqual([
      { field: 'title', message: '您已经报送过同一标题的社情民意，请不要重复报送。' },
    ]);
  });
});
