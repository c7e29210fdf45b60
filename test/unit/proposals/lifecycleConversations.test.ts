import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database, Member } from '../../../src/core/ports.js';
import { DEFAULT_HANDLING_UNITS } from '../../../src/features/proposals/domain/index.js';
import {
  createLifecycleService,
  DEFAULT_PROPOSALS_SETTINGS,
  proposalStore,
  type LifecycleService,
} from '../../../src/features/proposals/index.js';
import type { LifecycleCommand } from '../../../src/features/proposals/domain/index.js';
import { sentimentStore } from '../../../src/features/sentiment/index.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { queuedTexts, sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/**
 * The proposal lifecycle as staff, unit contacts and members type it, over the real flow files, routes, effects and
 * lifecycle service on an in-memory SQLite database: the paths the end-to-end test does not take.
 */

const T0 = new Date('2026-11-02T01:00:00Z'); // a Monday, 09:00 in Shanghai
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const unitContact = (userId: string, name: string, unit: string): Member => ({
  userId,
  name,
  role: 'unit',
  unit,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
});
const ZHUJIAN = unitContact('zhujian', '朱建', '县住房和城乡建设局');
const JIAOTONG = unitContact('jiaotong', '焦通', '县交通运输局');

let db: Database;
let handle: TestHandler;
let service: LifecycleService;
let inboxId = 0;
let clock = 0;

/** Each message a minute after the last, so every drafting conversation is its own submission. */
async function say(userId: string, text: string): Promise<string> {
  inboxId += 1;
  clock += 1;
  return sayAs(db, handle, { userId, text, now: minutes(clock), inboxId });
}

async function tap(userId: string, eventKey: string): Promise<string> {
  inboxId += 1;
  clock += 1;
  const msg: InboundMessage = {
    type: 'template_card_event',
    fromUserName: userId,
    toUserName: 'corp',
    createTime: '1',
    agentId: '1',
    eventKey,
    taskId: 't',
    cardType: 'button_interaction',
    responseCode: `rc-${inboxId}`,
    selectedItems: [],
  };
  const changes = await handle(msg, { inboxId, now: minutes(clock) });
  await db.commit(changes);
  return queuedTexts(changes, userId);
}

/** Everything queued for a user so far (texts only). */
async function inbox(userId: string): Promise<string[]> {
  return (await db.outbox.listForUser(userId, 0, 500)).map((o) =>
    o.message.msgtype === 'text' ? o.message.text.content : '',
  );
}

/** Sets a precondition through the service (the chat path of each action is tested where it is the subject). */
async function act(actorId: string, proposalId: number, command: LifecycleCommand): Promise<void> {
  clock += 1;
  const r = await service.act(db, minutes(clock), { proposalId, actorId, command });
  if (!r.ok) throw new Error(r.reason);
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const SUGGESTIONS = '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

async function submit(title: string): Promise<number> {
  await say('zhangsan', '写提案');
  await say('zhangsan', title);
  await say('zhangsan', '4');
  await say('zhangsan', '1');
  await say('zhangsan', REASON);
  if ((await say('zhangsan', SUGGESTIONS)).includes('仍要继续吗')) await say('zhangsan', '是');
  await say('zhangsan', '否');
  await say('zhangsan', '否');
  await say('zhangsan', '是');
  expect(await say('zhangsan', '确认')).toContain('提案已提交');
  const mine = await proposalStore(db).listForMember('zhangsan');
  return mine[0]!.id;
}

/** Submitted, registered and assigned to 住建局 alone, signed: 办理中. */
async function inProgress(title: string): Promise<number> {
  const id = await submit(title);
  await act('wangwu', id, { action: 'register' });
  await act('wangwu', id, { action: 'assign', host: '县住房和城乡建设局' });
  await act('zhujian', id, { action: 'sign' });
  return id;
}

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([...MEMBERS, ZHUJIAN, JIAOTONG]);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
  service = createLifecycleService({ ...DEFAULT_PROPOSALS_SETTINGS, units: DEFAULT_HANDLING_UNITS });
});
afterEach(async () => {
  await db.close();
});

describe('退回修改 and revision', () => {
  it('the returned proposal is a draft under 写提案; 继续 opens its summary and 确认 resubmits the same number', async () => {
    const id = await submit('关于加快老旧小区加装电梯的建议');
    await say('wangwu', '审查提案');
    await say('wangwu', '1');
    expect(await say('wangwu', '退回修改')).toContain('请写退回修改的理由');
    await say('wangwu', '案由缺少本县数据，请补充后重新提交。');
    expect(await say('wangwu', '是')).toContain('已退回修改');
    expect((await inbox('zhangsan')).filter((t) => t.includes('被退回修改'))).toHaveLength(1);

    const drafts = await say('zhangsan', '写提案');
    expect(drafts).toContain(
      '《关于加快老旧小区加装电梯的建议》（〔2026〕第001号 退回修改：案由缺少本县数据',
    );
    const summary = await say('zhangsan', '继续');
    expect(summary).toContain('请核对您的提案');
    expect(summary).toContain('关于加快老旧小区加装电梯的建议');
    expect(await say('zhangsan', '改标题')).toContain('标题');
    // Checked again, but not against itself (no 「与您之前提交的提案…相近」): straight back to the summary.
    expect(await say('zhangsan', '关于加快城区老旧小区加装电梯的建议')).toContain('请核对您的提案');
    const done = await say('zhangsan', '确认');
    expect(done).toContain('提案已提交，编号 〔2026〕第001号');

    const mine = await proposalStore(db).listForMember('zhangsan');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id, status: 'submitted', title: '关于加快城区老旧小区加装电梯的建议' });
    expect(await db.drafts.listForUser('zhangsan')).toEqual([]);
    expect((await inbox('wangwu')).filter((t) => t.includes('已修改并重新提交'))).toHaveLength(1);
    // Resubmitted: no longer offered as a draft.
    expect(await say('zhangsan', '写提案')).toContain('第 1 步');
  });
});

describe('不予立案, 并案, 撤回', () => {
  it('不予立案 with a ground: the proposer is told why, agrees to 转社情民意, and staff file it as a 社情民意 report', async () => {
    await submit('关于加快老旧小区加装电梯的建议');
    await say('wangwu', '有哪些提案要审');
    await say('wangwu', '1');
    await say('wangwu', '不予立案');
    await say('wangwu', '10');
    await say('wangwu', '建议部分不够具体，请补充措施。');
    expect(await say('wangwu', '是')).toContain('已不予立案');
    const told = (await inbox('zhangsan')).filter((t) => t.includes('不予立案'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('内容空泛、没有具体建议的');
    expect(told[0]).toContain('同意转社情民意');

    expect(await say('zhangsan', '我同意把提案转成社情民意')).toContain('已告知提案委员会');
    expect((await inbox('wangwu')).filter((t) => t.includes('【转社情民意】张三同意'))).toHaveLength(1);
    expect(await say('wangwu', '不予立案的那件转社情民意')).toContain('确认将本件提案转为社情民意信息');
    const done = await say('wangwu', '是');
    expect(done).toContain('已转社情民意');
    expect(done).toMatch(/社情民意编号 社情〔2026〕第001号/);
    const [p] = await proposalStore(db).listForMember('zhangsan');
    expect(p!.status).toBe('converted');
    const [report] = await sentimentStore(db).listForReporter('zhangsan');
    expect(report).toMatchObject({
      number: '社情〔2026〕第001号',
      state: 'pending',
      source: 'member',
      proposalId: p!.id,
      suggestions: p!.suggestions,
    });
    expect(report!.situation).toBe(p!.reason);
    const converted = (await inbox('zhangsan')).filter((t) => t.includes('已按您的同意转为社情民意信息'));
    expect(converted).toHaveLength(1);
    expect(converted[0]).toContain('社情〔2026〕第001号');
    // It waits in the 社情民意 review queue; converting again is refused and makes no second report.
    expect(await say('wangwu', '社情民意审核')).toContain('老旧小区加装电梯');
    await say('wangwu', '退出');
    expect(await say('wangwu', '转社情民意')).toContain('目前没有不予立案、可以转社情民意的提案');
    expect(await sentimentStore(db).list({})).toHaveLength(1);
    expect(await say('zhangsan', '我的社情民意')).toContain('社情〔2026〕第001号');
  });

  it('并案 into another proposal by its number; the proposer is told', async () => {
    await submit('关于加快老旧小区加装电梯的建议');
    await submit('关于老旧小区电梯加装补助的建议');
    await say('wangwu', '审查提案');
    await say('wangwu', '第2号');
    await say('wangwu', '并案');
    await say('wangwu', '第1号');
    expect(await say('wangwu', '是')).toContain('已并案');
    const second = (await proposalStore(db).listForMember('zhangsan')).find((p) => p.seq === 2);
    expect(second!.status).toBe('merged');
    expect((await inbox('zhangsan')).filter((t) => t.includes('已并案办理'))).toHaveLength(1);
  });

  it('撤回 before 立案 is done in chat; after 立案 there is nothing to withdraw and nothing changes', async () => {
    await submit('关于加快老旧小区加装电梯的建议');
    expect(await say('zhangsan', '我想撤回')).toContain('确认撤回吗');
    expect(await say('zhangsan', '是')).toContain('已撤回');
    const id = await submit('关于老旧小区电梯加装补助的建议');
    await act('wangwu', id, { action: 'register' });
    expect(await say('zhangsan', '撤回提案')).toContain('没有可以撤回的提案');
    const p = (await proposalStore(db).listForMember('zhangsan')).find((x) => x.id === id);
    expect(p!.status).toBe('registered');
  });
});

describe('units and staff in chat', () => {
  it('申请退回 → staff agree and name the new 主办; the new unit is told', async () => {
    const id = await submit('关于加快老旧小区加装电梯的建议');
    await act('wangwu', id, { action: 'register' });
    await act('wangwu', id, { action: 'assign', host: '县住房和城乡建设局' });
    expect(await say('zhujian', '这件提案不归我们管')).toContain('请说明申请退回的理由');
    await say('zhujian', '该事项属县交通运输局职责');
    expect(await say('zhujian', '是')).toContain('已申请退回');

    expect(await say('wangwu', '处理申请退回')).toContain('理由：该事项属县交通运输局职责');
    await say('wangwu', '同意');
    expect(await say('wangwu', '县交通运输局')).toContain('已审批退回申请');
    expect(await say('jiaotong', '我的待办')).toContain('待签收');
    expect(await say('jiaotong', '签收提案')).toContain('确认签收');
  });

  it('a unit not on the proposal has nothing to sign, and a wrong unit name at 交办 is refused and asked again', async () => {
    const id = await submit('关于加快老旧小区加装电梯的建议');
    await act('wangwu', id, { action: 'register' });
    await say('wangwu', '交办提案');
    await say('wangwu', '1');
    await say('wangwu', '县电梯局');
    await say('wangwu', '无');
    await say('wangwu', '默认');
    const refused = await say('wangwu', '是');
    expect(refused).toContain('「县电梯局」不在承办单位名单中');
    expect(refused).toContain('主办单位');
    expect((await proposalStore(db).listForMember('zhangsan'))[0]!.status).toBe('registered');
    await say('wangwu', '县住房和城乡建设局');
    await say('wangwu', '无');
    await say('wangwu', '2027-01-29');
    expect(await say('wangwu', '是')).toContain('已交办');

    expect(await say('jiaotong', '签收提案')).toContain('目前没有待本单位签收的提案');
    // Members never reach the units' flows: 签收提案 is not theirs.
    expect(await say('zhangsan', '签收提案')).not.toContain('确认签收');
  });

  it('不满意 by 评价提案 sends it back to the unit; the 面商 card 否 tells the host', async () => {
    const id = await inProgress('关于加快老旧小区加装电梯的建议');
    expect(await tap('zhangsan', `proposal:meeting:${id}:no`)).toContain('还没有与您面商');
    expect((await inbox('zhujian')).filter((t) => t.includes('尚未与其面商'))).toHaveLength(1);

    await act('zhujian', id, {
      action: 'reply',
      resultClass: 'C',
      text: '因财力所限，暂不能安排加装电梯补助，留作参考。',
    });
    await act('wangwu', id, { action: 'approve_reply' });
    await say('zhangsan', '评价提案');
    expect(await say('zhangsan', '不太满意')).toContain('请写明原因');
    expect(await say('zhangsan', '答复没有说明下一步打算。')).toContain('重新办理中');
    expect((await inbox('zhujian')).filter((t) => t.includes('请重新办理'))).toHaveLength(1);
  });

  it('我的提案 shows the state in member words: 承办单位 and contact, due date, last event, next step', async () => {
    const id = await inProgress('关于加快老旧小区加装电梯的建议');
    await act('zhujian', id, { action: 'progress', note: '已完成全县摸底调查。' });
    const list = await say('zhangsan', '帮我看看我的提案办得怎么样了');
    expect(list).toContain('— 办理中');
    expect(list).toContain('承办：县住房和城乡建设局（朱建）');
    expect(list).toMatch(/期限 \d{4}-\d{2}-\d{2}/);
    const detail = await say('zhangsan', '1');
    expect(detail).toContain('承办单位：主办 县住房和城乡建设局（联系人：朱建');
    expect(detail).toContain('最近进展：');
    expect(detail).toContain('已完成全县摸底调查');
    expect(detail).toContain('下一步：承办单位办理中');

    const stats = await say('wangwu', '提案统计');
    expect(stats).toContain('共 1 件');
    expect(stats).toContain('立案率：100.0%');
    expect(stats).toContain('县住房和城乡建设局');
  });
});
