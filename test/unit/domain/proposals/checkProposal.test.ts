import { describe, expect, it } from 'vitest';
import {
  checkProposal,
  DEFAULT_CATEGORIES,
  DEFAULT_HANDLING_UNITS,
  formatProposalNumber,
  PROPOSAL_STATUSES,
  PROPOSAL_STATUS_LABELS,
  suggestTitle,
} from '../../../../src/features/proposals/domain/index.js';

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const GOOD = {
  title: '关于加快老旧小区加装电梯的建议',
  reason: REASON,
  suggestions: '1. 由县住房和城乡建设局牵头制定加装电梯实施办法。\n2. 县财政每台补助10万元。',
};

const messages = (r: { field: string; message: string }[]) => r.map((m) => `${m.field}: ${m.message}`);

describe('checkProposal', () => {
  it('passes a well-formed proposal with no errors and no warnings', () => {
    expect(checkProposal(GOOD, [])).toEqual({ errors: [], warnings: [] });
  });

  it('errors on lengths out of bounds, naming the field and the count', () => {
    const r = checkProposal({ title: '电梯', reason: '太难了', suggestions: '加装电梯' }, []);
    expect(messages(r.errors)).toEqual([
      'title: 标题太短：至少 5 个字，目前 2 个字。',
      'reason: 案由太短：至少 30 个字，目前 3 个字。',
      'suggestions: 具体建议太短：至少 10 个字，目前 4 个字。',
    ]);
    const long = checkProposal({ ...GOOD, reason: '字'.repeat(2001) }, []);
    expect(messages(long.errors)).toEqual(['reason: 案由太长：最多 2000 个字，目前 2001 个字。']);
  });

  it('errors when there is no concrete suggestion (不予立案 ground 10)', () => {
    for (const s of [
      '希望领导高度重视。。。',
      '请有关部门研究解决。。',
      '1. 希望重视\n2. 请尽快解决此问题',
    ]) {
      const r = checkProposal({ ...GOOD, suggestions: s }, []);
      expect(
        r.errors.map((e) => e.field),
        s,
      ).toEqual(['suggestions']);
      expect(r.errors[0]?.message).toContain('没有看到具体建议');
    }
  });

  it('warns when suggestions name no action', () => {
    const r = checkProposal({ ...GOOD, suggestions: '电梯问题事关民生，群众期盼很久了。' }, []);
    expect(r.errors).toEqual([]);
    expect(messages(r.warnings)).toEqual([
      'suggestions: 建议似乎还不够具体，最好写明由哪个部门、采取什么措施、达到什么目标。',
    ]);
  });

  it('errors on the member’s own earlier proposal with the same title, warns on a similar one', () => {
    const same = checkProposal(GOOD, ['关于加快老旧小区加装电梯的提案']);
    expect(same.errors[0]).toEqual({
      field: 'title',
      message:
        '您已提交过同题提案《关于加快老旧小区加装电梯的提案》，请勿重复提交；如需补充内容，请联系提案委员会。',
    });
    const near = checkProposal(GOOD, ['关于加快推进老旧小区加装电梯的建议', '关于农村饮水安全的建议']);
    expect(near.errors).toEqual([]);
    expect(near.warnings[0]?.message).toBe(
      '与您之前提交的提案《关于加快推进老旧小区加装电梯的建议》相近，请确认不是重复提交。',
    );
    expect(checkProposal(GOOD, ['关于农村饮水安全的建议']).warnings).toEqual([]);
  });

  it('suggests the 「关于……的建议」 form', () => {
    const r = checkProposal({ ...GOOD, title: '加快老旧小区加装电梯' }, []);
    expect(messages(r.warnings)).toEqual([
      'title: 标题一般采用「关于……的建议」的形式，例如「关于加快老旧小区加装电梯的建议」。',
    ]);
  });

  it('warns when the title joins several matters (一事一案), not on words like 和谐 or 及时', () => {
    const r = checkProposal({ ...GOOD, title: '关于老旧小区加装电梯和农村道路硬化的建议' }, []);
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('一事一案')]);
    expect(checkProposal({ ...GOOD, title: '关于及时建设和谐社区的建议' }, []).warnings).toEqual([]);
  });

  it.each([
    ['personal matters', '我儿子今年考上编制却迟迟不能入职，', '本人或亲属'],
    ['product promotion', '建议推广某某有限公司生产的净水器，', '推介'],
    ['a named accusation', '我要举报某局长收受贿赂、贪污公款，', '举报'],
    ['litigation', '该纠纷已经起诉到县法院，', '诉讼'],
    ['secrets', '根据内部文件显示，', '涉密'],
  ])('warns on %s', (_name, text, word) => {
    const r = checkProposal({ ...GOOD, reason: `${text}${REASON}` }, []);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.field).toBe('reason');
    expect(r.warnings[0]?.message).toContain(word);
  });

  it('warns when the text is much longer than advised', () => {
    const r = checkProposal(
      { ...GOOD, reason: '情'.repeat(1990), suggestions: `由县财政局${'建'.repeat(800)}` },
      [],
    );
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('篇幅较长')]);
  });
});

describe('suggestTitle', () => {
  it.each([
    ['加快老旧小区加装电梯', '关于加快老旧小区加装电梯的建议'],
    ['关于老旧小区加装电梯的提案', '关于老旧小区加装电梯的建议'],
    ['建议加强农村饮水安全。', '关于加强农村饮水安全的建议'],
    ['关于加强农村饮水安全的建议', '关于加强农村饮水安全的建议'],
    ['关于农村饮水安全', '关于农村饮水安全的建议'],
  ])('%s → %s', (input, want) => {
    expect(suggestTitle(input)).toBe(want);
  });
});

describe('labels and numbers', () => {
  it('formats 〔2026〕第012号', () => {
    expect(formatProposalNumber(2026, 12)).toBe('〔2026〕第012号');
    expect(formatProposalNumber(2026, 1234)).toBe('〔2026〕第1234号');
  });

  it('labels every status code', () => {
    expect(Object.keys(PROPOSAL_STATUS_LABELS).sort()).toEqual([...PROPOSAL_STATUSES].sort());
    expect(PROPOSAL_STATUS_LABELS.submitted).toBe('已提交，待审查');
    expect(PROPOSAL_STATUS_LABELS.closed).toBe('已办结');
  });

  it('has five level-1 categories, each ending with 其他, and plausible units', () => {
    expect(DEFAULT_CATEGORIES.map((c) => c.name)).toEqual([
      '经济建设',
      '政治建设',
      '文化建设',
      '社会建设',
      '生态文明建设',
    ]);
    for (const c of DEFAULT_CATEGORIES) expect(c.children.at(-1)).toBe('其他');
    expect(DEFAULT_HANDLING_UNITS).toContain('县教育局');
    expect(new Set(DEFAULT_HANDLING_UNITS).size).toBe(DEFAULT_HANDLING_UNITS.length);
  });
});
