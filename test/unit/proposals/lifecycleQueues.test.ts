import { describe, expect, it } from 'vitest';
import { proposalDetailText, statusSummary } from '../../../src/features/proposals/chat/describe.js';
import { pickItem, queueText, type QueueItem } from '../../../src/features/proposals/chat/queues.js';
import type { ProposalView } from '../../../src/features/proposals/index.js';

const items: QueueItem[] = [
  { id: 11, number: '〔2026〕第003号', seq: 3, title: '关于保障农村饮水安全的建议', line: 'a' },
  { id: 12, number: '〔2026〕第012号', seq: 12, title: '关于加快老旧小区加装电梯的建议', line: 'b' },
];

describe('picking a proposal from a chat list', () => {
  it('reads a list position, a proposal number or a title word', () => {
    expect(pickItem(items, '2')?.id).toBe(12);
    expect(pickItem(items, '２')?.id).toBe(12);
    expect(pickItem(items, '第1个')?.id).toBe(11);
    expect(pickItem(items, '第12号')?.id).toBe(12);
    expect(pickItem(items, '12号')?.id).toBe(12);
    expect(pickItem(items, '〔2026〕第003号')?.id).toBe(11);
    // A bare number beyond the list is a proposal number.
    expect(pickItem(items, '12')?.id).toBe(12);
    expect(pickItem(items, '电梯')?.id).toBe(12);
    expect(pickItem(items, '「饮水」那件')?.id).toBe(11);
  });

  it('finds nothing for what names no item', () => {
    expect(pickItem(items, '7')).toBeNull();
    expect(pickItem(items, '第5号')).toBeNull();
    expect(pickItem(items, '〔2025〕第003号')).toBeNull();
    expect(pickItem(items, '殡葬')).toBeNull();
    expect(pickItem(items, '')).toBeNull();
  });

  it('numbers the list, or says it is empty', () => {
    expect(queueText('sign', items)).toBe('1. a\n2. b');
    expect(queueText('sign', [])).toContain('没有待本单位签收');
  });
});

describe('the proposal in member words', () => {
  const at = new Date('2026-11-20T02:00:00Z');
  const view: ProposalView = {
    id: 3,
    number: '〔2026〕第003号',
    year: 2026,
    seq: 3,
    title: '关于加快老旧小区加装电梯的建议',
    ownerId: 'zhangsan',
    ownerName: '张三',
    category: '社会建设',
    status: 'in_progress',
    statusLabel: '办理中',
    nextStep: '承办单位办理中，将与您面商并答复',
    keyProposal: true,
    excellent: false,
    mergedInto: null,
    rehandlingRound: 0,
    suggestedUnits: ['县住房和城乡建设局'],
    assignments: [
      {
        unit: '县财政局',
        role: 'co',
        roleLabel: '会办',
        state: 'pending',
        stateLabel: '待签收',
        assignedAt: at,
        meetingDue: null,
        returnBy: null,
        replyDue: null,
        signedAt: null,
        contacts: [],
      },
      {
        unit: '县住房和城乡建设局',
        role: 'host',
        roleLabel: '主办',
        state: 'signed',
        stateLabel: '已签收',
        assignedAt: at,
        meetingDue: '2026-12-11',
        returnBy: '2026-11-27',
        replyDue: '2027-02-20',
        signedAt: at,
        contacts: ['zhujian'],
      },
    ],
    dueDate: '2027-02-20',
    overdue: false,
    cosigners: [
      { userId: 'lisi', name: '李四', status: 'accepted' },
      { userId: 'zhaoliu', name: '赵六', status: 'declined' },
    ],
    meetings: [],
    replies: [],
    evaluations: [],
    timeline: [
      {
        id: 1,
        proposalId: 3,
        kind: 'sign',
        label: '签收',
        actorId: 'zhujian',
        actorRole: 'host_unit',
        unit: '县住房和城乡建设局',
        onBehalf: false,
        fromStatus: 'assigned',
        toStatus: 'in_progress',
        note: null,
        details: {},
        at,
      },
    ],
    submittedAt: at,
    updatedAt: at,
  };
  const names = async (id: string) => ({ zhujian: '朱建' })[id] ?? id;

  it('states the state, who handles it (and their contact), the due date, the last event and what comes next', async () => {
    const text = await proposalDetailText(view, null, names);
    expect(text).toContain('当前状态：办理中（重点提案）');
    expect(text).toContain(
      '承办单位：主办 县住房和城乡建设局（联系人：朱建，已签收）；会办 县财政局（由提案委代为联系，待签收）',
    );
    expect(text).toContain('办理期限：2027-02-20');
    expect(text).toContain('最近进展：2026-11-20 签收（县住房和城乡建设局）');
    expect(text).toContain('下一步：承办单位办理中，将与您面商并答复');
    expect(text).toContain('联名：李四（已同意）、赵六（已谢绝）');
    expect(await statusSummary(view, names)).toBe(
      '承办：县住房和城乡建设局（朱建）｜期限 2027-02-20｜下一步：承办单位办理中，将与您面商并答复',
    );
  });
});
