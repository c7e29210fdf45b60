import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';
import { templateCardEventXml } from '../fakes/wecomSigner.js';
import {
  BACKENDS,
  contentOf,
  CREDENTIALS,
  nextMsgId,
  settle,
  startHarness,
  type Harness,
} from './harness.js';

/**
 * Issue 9, chat half, end to end: through real encrypted callbacks and the fake WeCom API, the member, the staff
 * member and two unit contacts take a proposal through its whole life in chat — submit → 立案 → 交办 (主办 + 会办) →
 * 签收 → 面商 → 会办意见 → 答复 → 审核 → 评价 满意 (a card tap) → 办结 — and everybody hears of each step once.
 */

const UNITS: Member[] = [
  {
    userId: 'zhujian',
    name: '朱建',
    role: 'unit',
    unit: '县住房和城乡建设局',
    sector: null,
    committee: null,
    mobile: null,
    active: true,
  },
  {
    userId: 'caizheng',
    name: '蔡正',
    role: 'unit',
    unit: '县财政局',
    sector: null,
    committee: null,
    mobile: null,
    active: true,
  },
];

/** Sends one text and returns everything the bot answered to that user for it. */
async function say(h: Harness, from: string, text: string): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  const res = await h.postText(from, text, nextMsgId());
  expect(res.status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

let tapTime = Math.floor(Date.now() / 1000);
/** A tap on a template card button; returns what the bot sent the tapper (texts and card updates). */
async function tap(h: Harness, from: string, eventKey: string, responseCode: string): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  tapTime += 1;
  const res = await h.post(
    templateCardEventXml({
      corpId: CREDENTIALS.corpId,
      from,
      createTime: tapTime,
      agentId: CREDENTIALS.agentId,
      eventKey,
      taskId: 'task',
      responseCode,
      cardType: 'button_interaction',
    }),
  );
  expect(res.status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

/** The texts a user received that contain `fragment`. */
function received(h: Harness, userId: string, fragment: string): string[] {
  return h.fake
    .deliveriesTo(userId)
    .map((d) => contentOf(d))
    .filter((t) => t.includes(fragment));
}

/** The button keys of the template cards a user received. */
function cardKeys(h: Harness, userId: string): string[] {
  return h.fake.deliveriesTo(userId).flatMap((d) => {
    const card = d.body['template_card'];
    if (typeof card !== 'object' || card === null) return [];
    const list: unknown = Reflect.get(card, 'button_list');
    return Array.isArray(list) ? list.map((b: unknown) => String(Reflect.get(Object(b), 'key'))) : [];
  });
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const SUGGESTIONS = '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

async function submitProposal(h: Harness, from: string, title: string): Promise<void> {
  await say(h, from, '写提案');
  await say(h, from, title);
  await say(h, from, '4'); // 社会建设
  await say(h, from, '1');
  await say(h, from, REASON);
  await say(h, from, SUGGESTIONS);
  await say(h, from, '否'); // no co-signers
  await say(h, from, '否'); // no units suggested
  await say(h, from, '是'); // public
  expect(await say(h, from, '确认')).toContain('提案已提交');
}

describe.each(BACKENDS)('proposal lifecycle in chat, end to end ($name)', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(backend);
    await h.db.members.upsertMany(UNITS);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('staff, units and the member take a proposal from submission to 办结, each told once', async () => {
    await submitProposal(h, 'zhangsan', '关于加快老旧小区加装电梯的建议');
    const [p] = await proposalStore(h.db).listForMember('zhangsan');
    expect(p).toBeDefined();

    // Staff: 审查 queue → 立案 as suggested.
    expect(await say(h, 'wangwu', '有哪些提案要审')).toContain(p!.number);
    const decision = await say(h, 'wangwu', '1');
    expect(decision).toContain('提案人：张三');
    expect(decision).toContain('处理意见');
    expect(await say(h, 'wangwu', '立案')).toContain('立案吗');
    expect(await say(h, 'wangwu', '是')).toContain('已立案');

    // Staff: 交办 to 住建局 (主办) and 财政局 (会办), default due date.
    await say(h, 'wangwu', '交办提案');
    expect(await say(h, 'wangwu', '1')).toContain('主办单位');
    await say(h, 'wangwu', '县住房和城乡建设局');
    await say(h, 'wangwu', '县财政局');
    await say(h, 'wangwu', '默认');
    expect(await say(h, 'wangwu', '是')).toContain('已交办');

    // Units: both sign, in their own words.
    expect(await say(h, 'zhujian', '这个提案我们签收了')).toContain('确认签收');
    expect(await say(h, 'zhujian', '是')).toContain('已签收');
    await say(h, 'caizheng', '签收提案');
    expect(await say(h, 'caizheng', '是')).toContain('已签收');

    // 主办: 面商 with the member.
    await say(h, 'zhujian', '记录面商');
    await say(h, 'zhujian', '今天');
    await say(h, 'zhujian', '面谈');
    expect(await say(h, 'zhujian', '张三委员、县住建局朱建')).toContain('已记录面商');

    // 会办: opinion to the 主办 unit.
    await say(h, 'caizheng', '会办意见');
    await say(h, 'caizheng', '县财政局同意按每台电梯 10 万元标准给予补助，纳入明年预算。');
    expect(await say(h, 'caizheng', '是')).toContain('已提交会办意见');

    // 主办: 答复, class A.
    await say(h, 'zhujian', '提交答复');
    await say(h, 'zhujian', 'A');
    await say(
      h,
      'zhujian',
      '我局已会同县财政局制定老旧小区加装电梯实施办法，今年完成加装 12 台，明年继续推进。',
    );
    expect(await say(h, 'zhujian', '是')).toContain('答复审核中');

    // Staff: 审核答复 → 通过; the member gets the evaluation card.
    const review = await say(h, 'wangwu', '审核答复');
    expect(review).toContain('今年完成加装 12 台');
    expect(await say(h, 'wangwu', '通过')).toContain('已审核通过答复');
    const satisfied = cardKeys(h, 'zhangsan').find((k) => k.endsWith(':satisfied'));
    expect(satisfied).toBeDefined();

    // Member: taps 满意, then adds no comment.
    const tapped = await tap(h, 'zhangsan', satisfied!, 'rc-eval-1');
    expect(tapped).toContain('还有什么意见或建议吗');
    expect(await say(h, 'zhangsan', '无')).toContain('感谢您的评价');

    const status = await say(h, 'zhangsan', '我的提案到哪一步了');
    expect(status).toContain('已办结');

    // Each notice reached each person once.
    expect(received(h, 'wangwu', '【新提案】')).toHaveLength(1);
    expect(received(h, 'zhangsan', '已立案')).toHaveLength(1);
    expect(received(h, 'zhujian', '【提案交办】')).toHaveLength(1);
    expect(received(h, 'caizheng', '【提案交办】')).toHaveLength(1);
    expect(received(h, 'zhangsan', '已交办，主办单位：县住房和城乡建设局')).toHaveLength(1);
    expect(received(h, 'zhangsan', '记录了与您的面商')).toHaveLength(1);
    expect(received(h, 'zhujian', '【会办意见】')).toHaveLength(1);
    expect(received(h, 'wangwu', '【答复待审核】')).toHaveLength(1);
    expect(cardKeys(h, 'zhangsan').filter((k) => k.endsWith(':satisfied'))).toHaveLength(1);
    expect(received(h, 'zhujian', '提案人评价「满意」')).toHaveLength(1);

    // An illegal action is refused in chat with the reason, and changes nothing: a second tap on the card.
    const again = await tap(h, 'zhangsan', satisfied!, 'rc-eval-2');
    expect(again).toContain('已办结');
    const after = await proposalStore(h.db).listForMember('zhangsan');
    expect(after[0]!.status).toBe('closed');
    expect(received(h, 'zhujian', '提案人评价「满意」')).toHaveLength(1);
  }, 180_000);
});
