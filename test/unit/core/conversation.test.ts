import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Change, Database } from '../../../src/core/ports.js';
import { queuedTexts, sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { sentNotice } from '../notices/helpers.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { proposalStore } from '../../../src/features/proposals/proposalStore.js';
import { testSqlite } from '../../support/testDatabase.js';

/**
 * The conversation runtime over the real flow files and a real (in-memory SQLite) database, driven turn by turn with
 * chosen clock times: what transcripts of a single flow cannot show — drafts kept across days, idle expiry, the
 * co-signer's answer.
 */

const T0 = new Date('2026-11-02T01:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const days = (n: number) => minutes(n * 24 * 60);

let db: Database;
let handle: TestHandler;
let inboxId = 0;

async function say(userId: string, text: string, now: Date): Promise<string> {
  inboxId += 1;
  return sayAs(db, handle, { userId, text, now, inboxId });
}

async function click(userId: string, eventKey: string, now: Date): Promise<string> {
  inboxId += 1;
  const changes = await handle(
    {
      type: 'event',
      event: 'click',
      eventKey,
      fromUserName: userId,
      toUserName: 'corp',
      createTime: String(Math.floor(now.getTime() / 1000)),
      agentId: '1',
    } as never,
    { inboxId, now },
  );
  return commitAndRead(changes, userId);
}

/** Commits one turn's changes and returns the texts it queued for the user. */
async function commitAndRead(changes: Change[], userId: string): Promise<string> {
  await db.commit(changes);
  return queuedTexts(changes, userId);
}

async function sentTo(userId: string): Promise<string[]> {
  return (await db.outbox.listForUser(userId, 0, 100)).map((m) =>
    m.message.msgtype === 'text' ? m.message.text.content : '',
  );
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const SUGGESTIONS = '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  const flows = createFlowRegistry(await readFlowFiles('flows'));
  handle = testHandler(db, flows);
});
afterEach(async () => {
  await db.close();
});

describe('drafts across days', () => {
  it('cancel, come back days later, continue where it stopped, submit; the draft is then gone', async () => {
    await say('zhangsan', '写提案', minutes(0));
    await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(1));
    expect(await say('zhangsan', '1', minutes(2))).toContain('请选择细类');
    expect(await say('zhangsan', '取消', minutes(3))).toContain('草稿');
    expect(await db.drafts.listForUser('zhangsan')).toHaveLength(1);

    const offer = await say('zhangsan', '写提案', days(9));
    expect(offer).toContain('您有 1 份未完成的提案草稿');
    expect(offer).toContain('《关于加快老旧小区加装电梯的建议》（保存于 2026-11-02）');
    expect(offer).toContain('继续');
    const resumed = await say('zhangsan', '继续', days(9));
    expect(resumed).toContain('请选择细类');
    expect(await say('zhangsan', '城建', days(9))).toContain('第 3 步');
    await say('zhangsan', REASON, days(9));
    await say('zhangsan', SUGGESTIONS, days(9));
    await say('zhangsan', '否', days(9)); // no co-signers
    await say('zhangsan', '否', days(9)); // no units
    expect(await say('zhangsan', '不同意', days(9))).toContain('不宜公开的理由');
    expect(await say('zhangsan', '涉及个别小区的具体情况', days(9))).toContain('请核对您的提案');
    expect(await say('zhangsan', '提交', days(9))).toMatch(/提案已提交，编号 〔2026〕第001号/);
    const [submitted] = await proposalStore(db).listForMember('zhangsan');
    expect(submitted).toMatchObject({ isPublic: false, privateReason: '涉及个别小区的具体情况' });
    expect(await db.drafts.listForUser('zhangsan')).toEqual([]);
    expect(await say('zhangsan', '写提案', days(10))).toContain('第 1 步');
  });

  it('a picture in the middle of drafting: told to use text, and the open question is asked again', async () => {
    await say('zhangsan', '写提案', minutes(0));
    inboxId += 1;
    const changes = await handle(
      {
        type: 'image',
        fromUserName: 'zhangsan',
        toUserName: 'corp',
        createTime: '1',
        msgId: String(inboxId),
        picUrl: 'http://example.invalid/p.jpg',
        mediaId: 'm',
        agentId: '1',
      } as never,
      { inboxId, now: minutes(1) },
    );
    const replies = await commitAndRead(changes, 'zhangsan');
    expect(replies).toContain('请用文字回答');
    expect(replies).toContain('第 1 步');
    expect(await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(2))).toContain('第 2 步');
  });

  it('an idle conversation expires with its draft kept, and the member is told once', async () => {
    await say('zhangsan', '写提案', minutes(0));
    await say('zhangsan', '关于规范校外培训机构管理的建议', minutes(1));
    const late = await say('zhangsan', '1', minutes(45));
    expect(late).toContain('已超时，内容已保存为草稿');
    expect(late).not.toContain('没有理解');
    const drafts = await db.drafts.listForUser('zhangsan');
    expect(drafts.map((d) => d.title)).toEqual(['关于规范校外培训机构管理的建议']);
  });

  it('several drafts: pick one by number, abandon another, or start afresh', async () => {
    for (const title of ['关于规范校外培训机构管理的建议', '关于加强农村饮水安全保障的建议']) {
      const first = await say('lisi', '写提案', minutes(0));
      if (first.includes('未完成的提案草稿')) await say('lisi', '重新开始', minutes(0));
      await say('lisi', title, minutes(1));
      await say('lisi', '取消', minutes(2));
    }
    const offer = await say('lisi', '写提案', days(3));
    expect(offer).toContain('您有 2 份未完成的提案草稿');
    expect(await say('lisi', '继续', days(3))).toContain('您有 2 份'); // which one? asked again
    // Both drafts were saved the same minute, so which one is 2 is not fixed: the question names it.
    expect(await say('lisi', '放弃 2', days(3))).toMatch(/确定放弃草稿《关于.+的建议》吗/);
    expect(await say('lisi', '确定', days(3))).toContain('已删除');
    expect(await db.drafts.listForUser('lisi')).toHaveLength(1);
    // Another request leaves the choice without losing the draft.
    expect(await say('lisi', '我的提案', days(3))).toContain('还没有提交过提案');
    expect(await db.drafts.listForUser('lisi')).toHaveLength(1);
    await say('lisi', '写提案', days(4));
    expect(await say('lisi', '重新开始', days(4))).toContain('第 1 步');
  });
});

describe('outside any flow', () => {
  it('取消 with nothing going on is answered plainly; an unknown text lists what can be asked', async () => {
    expect(await say('zhangsan', '取消', minutes(0))).toContain('当前没有正在办理的事项');
    expect(await say('zhangsan', '参加', minutes(0))).toContain('目前没有需要您回复的会议通知');
    // Everyday forms too, with no notice ever sent (the notices route answers, not a not-understood).
    expect(await say('zhangsan', '我参加', minutes(0))).toContain('目前没有需要您回复的会议通知');
    const unknown = await say('zhangsan', '今天天气怎么样', minutes(0));
    expect(unknown).toContain('没有理解');
    expect(unknown).toContain('「写提案」');
  });
});

describe('staff-only flows', () => {
  it('a member cannot start 发通知 and is not offered it; a staff member can', async () => {
    const member = await say('zhangsan', '发通知', minutes(0));
    expect(member).toContain('没有理解');
    expect(member).not.toContain('发通知');
    expect(await say('zhangsan', '通知统计', minutes(0))).toContain('没有理解');
    // 你好呀 is now understood as a greeting (帮助); a text nobody understands lists the staff's flows.
    const staff = await say('wangwu', '今天天气怎么样', minutes(0));
    expect(staff).toContain('「发通知」');
    expect(await say('wangwu', '发通知', minutes(0))).toContain('标题');
    // The same through the app menu: a member who clicks the staff item is told, not ignored.
    expect(await click('zhangsan', 'MENU_NOTICE', minutes(1))).toContain('没有使用权限');
    expect(await click('zhangsan', 'MENU_PROPOSAL_STATUS', minutes(1))).toContain('还没有提交过提案');
  });
});

describe('请假 on a notice that needs a reason', () => {
  it('the reason flow starts in the member’s conversation and records the reason with the answer', async () => {
    const notice = await sentNotice(
      db,
      'leave-e2e',
      { leaveNeedsReason: true, audience: { userids: ['lisi'] } },
      minutes(0),
    );
    const asked = await say('lisi', '请假', minutes(1));
    expect(asked).toContain('请选择请假事由');
    expect(await say('lisi', '2', minutes(2))).toMatch(/说明|补充/);
    const done = await say('lisi', '发烧住院', minutes(3));
    expect(done).toContain('请假');
    const receipt = (await noticeStore(db).recipients(notice.id)).find((r) => r.userId === 'lisi');
    expect(receipt).toMatchObject({ answer: 'leave' });
    expect(receipt?.reason).toContain('生病');
    expect(await db.conversations.get('lisi')).toBeNull();
  });
});

describe('a staff member sends a notice in WeCom', () => {
  it('发通知 → preview → 是: every member gets the card; 参加 is counted; 通知统计 shows it', async () => {
    const staffSays = (text: string) => say('wangwu', text, minutes(0));
    expect(await staffSays('发通知')).toContain('第 1 步');
    await staffSays('优化营商环境专题协商会');
    await staffSays('1');
    await staffSays('2026-11-10');
    await staffSays('14:30');
    await staffSays('县政协三楼会议室');
    await staffSays('围绕优化营商环境开展专题协商，请提前审阅会议材料。');
    await staffSays('全体委员');
    await staffSays('否');
    expect(await staffSays('2026-11-08')).toContain('请核对通知');
    const preview = await staffSays('确认');
    expect(preview).toContain('确认发送给 2 位委员');
    expect(await staffSays('是')).toContain('已发送给 2 位委员');

    const notice = await noticeStore(db).latestSent();
    const cards = (await db.outbox.countByStatus()).pending;
    expect(cards).toBeGreaterThan(0);
    expect((await noticeStore(db).recipients(notice!.id)).map((r) => r.userId).sort()).toEqual([
      'lisi',
      'zhangsan',
    ]);

    expect(await say('zhangsan', '参加', minutes(5))).toContain('参加');
    const stats = await staffSays('通知统计');
    expect(stats).toContain('优化营商环境专题协商会');
    expect(stats).toContain('李四'); // not answered yet
  });
});

describe('联名确认', () => {
  async function submitWithCosigner(): Promise<void> {
    await say('zhangsan', '写提案', minutes(0));
    await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(0));
    await say('zhangsan', '1', minutes(0));
    await say('zhangsan', '城建', minutes(0));
    await say('zhangsan', REASON, minutes(0));
    await say('zhangsan', SUGGESTIONS, minutes(0));
    await say('zhangsan', '是', minutes(0));
    expect(await say('zhangsan', '李四', minutes(0))).toContain('已添加 李四');
    await say('zhangsan', '否', minutes(0));
    await say('zhangsan', '否', minutes(0));
    await say('zhangsan', '是', minutes(0));
    await say('zhangsan', '确认', minutes(1));
  }

  it('a co-signer who declines is recorded, the proposer is told, and the proposal leaves the co-signer’s list', async () => {
    await submitWithCosigner();
    expect((await sentTo('lisi')).some((t) => t.includes('【联名邀请】'))).toBe(true);
    expect(await say('lisi', '不同意联名 1', minutes(5))).toContain('已记录您谢绝联名');
    const [p] = await proposalStore(db).listForMember('zhangsan');
    expect((await proposalStore(db).cosigners(p!.id)).map((c) => [c.userId, c.status])).toEqual([
      ['lisi', 'declined'],
    ]);
    expect((await sentTo('zhangsan')).some((t) => t.includes('李四委员谢绝联名'))).toBe(true);
    expect(await say('lisi', '我的提案', minutes(6))).toContain('还没有提交过提案');
    await say('lisi', '退出', minutes(6));
    // Not yet 立案: the co-signer may change their mind (see test/unit/proposals/cosigning.test.ts).
    expect(await say('lisi', '同意联名 1', minutes(7))).toContain('已确认（改为同意）联名提案');
  });

  it('a member who was not invited gets the same answer as for a proposal that does not exist', async () => {
    await submitWithCosigner();
    const notInvited = await say('wangwu', '同意联名 1', minutes(5));
    const missing = await say('wangwu', '同意联名 99', minutes(5));
    expect(notInvited.replace('1', 'N')).toBe(missing.replace('99', 'N'));
  });
});

describe('a flow file that changes under a live conversation', () => {
  function handlerWith(files: { file: string; text: string }[]): TestHandler {
    return testHandler(db, createFlowRegistry(files));
  }

  it('migrates the answers to the new version (policy migrate) and goes on with the new wording', async () => {
    const files = await readFlowFiles('flows');
    await say('zhangsan', '写提案', minutes(0));
    await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(1));
    const edited = files.map((f) =>
      f.file.endsWith('proposal.yaml')
        ? {
            ...f,
            text: f.text
              .replace(/^version: 1$/m, 'version: 2')
              .replace('第 2 步：请选择提案类别', '第 2 步（新）：请选择提案类别'),
          }
        : f,
    );
    expect(edited.find((f) => f.file.endsWith('proposal.yaml'))!.text).toContain('第 2 步（新）');
    handle = handlerWith(edited);
    const reply = await say('zhangsan', '1', minutes(2));
    expect(reply).toContain('请选择细类');
    const record = await db.conversations.get('zhangsan');
    expect(JSON.stringify(record?.data)).toContain('关于加快老旧小区加装电梯的建议');
    expect(await say('zhangsan', '返回', minutes(3))).toContain('第 2 步（新）');
  });

  it('a flow file removed mid-conversation: the member finishes on the pinned version', async () => {
    await say('zhangsan', '写提案', minutes(0));
    handle = handlerWith((await readFlowFiles('flows')).filter((f) => !f.file.endsWith('proposal.yaml')));
    expect(await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(1))).toContain('第 2 步');
  });
});
