import { describe, expect, it } from 'vitest';
import { findProposal } from '../../../src/features/proposals/findProposal.js';
import type { Proposal } from '../../../src/features/proposals/ports.js';

const at = new Date('2026-11-02T01:00:00Z');
function proposal(seq: number, title: string, year = 2026): Proposal {
  return {
    id: seq,
    submitKey: `k${seq}`,
    year,
    seq,
    number: `〔${year}〕第${String(seq).padStart(3, '0')}号`,
    ownerId: 'zhangsan',
    title,
    category: '社会建设',
    subcategory: '民政养老托育',
    reason: '案由'.repeat(20),
    suggestions: '1. 建议一\n2. 建议二',
    handlingUnits: ['县民政局'],
    isPublic: true,
    privateReason: null,
    status: 'submitted',
    version: 0,
    keyProposal: false,
    mergedInto: null,
    rehandlingRound: 0,
    dueDate: null,
    lastReplyClass: null,
    submittedAt: at,
    updatedAt: at,
  };
}

// Newest first, as listForMember returns them: list position and proposal number differ.
const LIST = [
  proposal(3, '关于加强居家养老服务的建议'),
  proposal(2, '关于规范校外培训机构管理的建议'),
  proposal(1, '关于加快老旧小区加装电梯的建议'),
];

describe('findProposal: list position vs proposal number vs title word', () => {
  it('a bare number (also full-width) is the position in the numbered list', () => {
    expect(findProposal(LIST, '1')?.seq).toBe(3);
    expect(findProposal(LIST, '2')?.seq).toBe(2);
    expect(findProposal(LIST, '２')?.seq).toBe(2);
    expect(findProposal(LIST, '第3个')?.seq).toBe(1);
    expect(findProposal(LIST, '4')).toBeNull();
  });

  it('第1号, 1号提案, 〔2026〕第001号, 第1 name the proposal number', () => {
    for (const q of ['第1号', '1号提案', '〔2026〕第001号', '第1', '1号', '第００１号'])
      expect(findProposal(LIST, q)?.seq, q).toBe(1);
    expect(findProposal(LIST, '〔2025〕第001号')).toBeNull();
    expect(findProposal(LIST, '第9号')).toBeNull();
  });

  it('a title word, even inside a sentence, finds the proposal it names', () => {
    expect(findProposal(LIST, '养老')?.seq).toBe(3);
    expect(findProposal(LIST, '我那个关于养老的提案到哪一步了')?.seq).toBe(3);
    expect(findProposal(LIST, '电梯那件')?.seq).toBe(1);
    expect(findProposal(LIST, '关于的建议')).toBeNull();
    expect(findProposal(LIST, '天气')).toBeNull();
  });
});
