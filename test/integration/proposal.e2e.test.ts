import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, contentOf, nextMsgId, settle, startHarness, type Harness } from './harness.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';

/**
 * Issue 3 end to end: a member drafts a proposal through real encrypted callbacks, submits it, and finds it with
 * 我的提案; the staff and the invited co-signer hear of it through the (fake) WeCom API.
 */

/** Sends one text and returns everything the bot answered to that user for it. */
async function say(h: Harness, from: string, text: string, msgId = nextMsgId()): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  const res = await h.postText(from, text, msgId);
  expect(res.status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const SUGGESTIONS = '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

describe.each(BACKENDS)('proposal drafting end to end ($name)', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(backend);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('a member drafts, submits and follows a proposal; a co-signer accepts', async () => {
    expect(await say(h, 'zhangsan', '写提案')).toContain('第 1 步');
    expect(await say(h, 'zhangsan', '关于加快老旧小区加装电梯的建议')).toContain('第 2 步');
    expect(await say(h, 'zhangsan', '1')).toContain('请选择细类');
    expect(await say(h, 'zhangsan', '城建')).toContain('第 3 步');
    // An answer too short for 案由 is refused with the reason, and the same question stays open.
    expect(await say(h, 'zhangsan', '太短')).toMatch(/字/);
    expect(await say(h, 'zhangsan', REASON)).toContain('第 4 步');
    expect(await say(h, 'zhangsan', SUGGESTIONS)).toContain('第 5 步');
    expect(await say(h, 'zhangsan', '是')).toContain('姓名');
    expect(await say(h, 'zhangsan', '李四')).toContain('已添加 李四');
    expect(await say(h, 'zhangsan', '否')).toContain('第 6 步');
    expect(await say(h, 'zhangsan', '是')).toContain('县住房和城乡建设局');
    expect(await say(h, 'zhangsan', '8')).toContain('第 7 步');
    const summary = await say(h, 'zhangsan', '是');
    expect(summary).toContain('请核对您的提案');
    expect(summary).toContain('联名提案人：李四');

    // 确认 delivered three times by WeCom (same MsgId) and once more by the member: one proposal.
    const confirmId = nextMsgId();
    const done = await say(h, 'zhangsan', '确认', confirmId);
    expect(done).toMatch(/提案已提交，编号 〔\d{4}〕第001号/);
    await say(h, 'zhangsan', '确认', confirmId);
    await say(h, 'zhangsan', '确认', confirmId);
    await say(h, 'zhangsan', '确认');
    const mine = await proposalStore(h.db).listForMember('zhangsan');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.title).toBe('关于加快老旧小区加装电梯的建议');
    expect(mine[0]!.handlingUnits).toEqual(['县住房和城乡建设局']);
    expect(await h.db.drafts.listForUser('zhangsan')).toEqual([]);

    // The staff member is told once; the co-signer is invited once.
    const staff = h.fake.deliveriesTo('wangwu').map(contentOf);
    expect(staff.filter((t) => t.includes('【新提案】'))).toHaveLength(1);
    const invite = h.fake.deliveriesTo('lisi').map(contentOf);
    expect(invite.filter((t) => t.includes('【联名邀请】'))).toHaveLength(1);

    // 我的提案 lists it with number, title and status label; choosing it shows the timeline.
    const list = await say(h, 'zhangsan', '我的提案');
    expect(list).toContain(`${mine[0]!.number}《关于加快老旧小区加装电梯的建议》— 已提交`);
    const detail = await say(h, 'zhangsan', '电梯');
    expect(detail).toContain('当前状态：已提交');
    expect(detail).toContain('办理进程');
    await say(h, 'zhangsan', '退出');

    // Asking by number in one message gets it directly.
    expect(await say(h, 'zhangsan', '查提案 1')).toContain('当前状态：已提交');
    await say(h, 'zhangsan', '退出');

    // The co-signer accepts; the proposer hears of it; a second answer changes nothing.
    expect(await say(h, 'lisi', '同意联名 1')).toContain('已确认联名');
    expect(await say(h, 'lisi', '同意联名 1')).toContain('无需重复回复');
    expect(await say(h, 'lisi', '不同意联名 1')).toContain('如需撤回联名，请联系提案人');
    expect(
      h.fake
        .deliveriesTo('zhangsan')
        .map(contentOf)
        .filter((t) => t.includes('李四委员同意联名')),
    ).toHaveLength(1);
    // The co-signer sees it among theirs; a member who is neither proposer nor co-signer does not.
    expect(await say(h, 'lisi', '我的提案')).toContain('关于加快老旧小区加装电梯的建议');
    await say(h, 'lisi', '退出');
    const other = await say(h, 'wangwu', '查提案 1');
    expect(other).not.toContain('电梯');
    expect(other).toContain('您还没有提交过提案');
  });

  it('keeps an unfinished draft and offers it again later', async () => {
    await say(h, 'lisi', '写提案');
    await say(h, 'lisi', '关于规范校外培训机构管理的建议');
    expect(await say(h, 'lisi', '取消')).toContain('草稿');
    const again = await say(h, 'lisi', '写提案');
    expect(again).toContain('关于规范校外培训机构管理的建议');
    // Continue the draft: the next question is the one left open (category).
    expect(await say(h, 'lisi', '继续1')).toContain('类别');
  });
});
