import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database, Member } from '../../../src/core/ports.js';
import { proposalStore } from '../../../src/features/proposals/proposalStore.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/**
 * Proposals, co-signing and drafts as a member types them, over the real flow files, routes and effects on an
 * in-memory SQLite database (issue 8: each case here failed before its fix).
 */

const T0 = new Date('2026-11-02T01:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const ZHAOLIU: Member = {
  userId: 'zhaoliu',
  name: '赵六',
  role: 'member',
  sector: '农业界',
  committee: null,
  mobile: null,
  active: true,
};

let db: Database;
let handle: TestHandler;
let inboxId = 0;

async function say(userId: string, text: string, now = minutes(0)): Promise<string> {
  inboxId += 1;
  return sayAs(db, handle, { userId, text, now, inboxId });
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
const SUGGESTIONS = '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

/** zhangsan submits a proposal with the given title, inviting the named co-signers. */
/** zhangsan submits a proposal with the given title, inviting the named co-signers (each submission a minute later:
 * one conversation is one submission). */
let submissions = 0;
async function submit(title: string, cosigners: string[] = [], reason = REASON): Promise<void> {
  submissions += 1;
  const now = minutes(submissions);
  const z = (text: string) => say('zhangsan', text, now);
  await z('写提案');
  await z(title);
  await z('4');
  await z('民政');
  await z(reason);
  if ((await z(SUGGESTIONS)).includes('仍要继续吗')) await z('是');
  await z(cosigners.length > 0 ? '是' : '否');
  for (const [i, name] of cosigners.entries()) {
    expect(await z(name)).toContain(`已添加 ${name}`);
    await z(i === cosigners.length - 1 ? '否' : '是');
  }
  await z('否');
  await z('是');
  expect(await z('确认')).toContain('提案已提交');
}

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([...MEMBERS, ZHAOLIU]);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
});
afterEach(async () => {
  await db.close();
});

describe('co-signer search', () => {
  it('offers active members only: not staff, not the proposer', async () => {
    await say('zhangsan', '写提案');
    await say('zhangsan', '关于加强居家养老服务的建议');
    await say('zhangsan', '4');
    await say('zhangsan', '民政');
    await say('zhangsan', REASON);
    await say('zhangsan', SUGGESTIONS);
    expect(await say('zhangsan', '是')).toContain('请输入联名委员的姓名');
    expect(await say('zhangsan', '王五')).toContain('没有找到「王五」'); // staff
    expect(await say('zhangsan', '张三')).toContain('没有找到「张三」'); // self
    expect(await say('zhangsan', '李四')).toContain('已添加 李四');
    await say('zhangsan', '是');
    expect(await say('zhangsan', '李四')).toContain('李四 已经添加过了');
  });
});

describe('联名确认 in everyday forms', () => {
  it('after 不同意联名 N, 同意联名 N is accepted while the proposal is not yet 立案; afterwards it is refused precisely', async () => {
    await submit('关于加强居家养老服务的建议', ['李四']);
    expect(await say('lisi', '不同意联名 1')).toContain('已记录您谢绝联名');
    expect(await say('lisi', '同意联名 1')).toContain('已确认（改为同意）联名提案 〔2026〕第001号');
    const [p] = await proposalStore(db).listForMember('zhangsan');
    expect((await proposalStore(db).cosigners(p!.id)).map((c) => c.status)).toEqual(['accepted']);

    await submit('关于规范校外培训机构管理的建议', ['李四']);
    expect(await say('lisi', '不同意联名 2')).toContain('已记录您谢绝联名');
    const [second] = await proposalStore(db).listForMember('zhangsan');
    await db.commit([
      { type: 'proposal.status', proposalId: second!.id, status: 'registered', note: null, at: minutes(5) },
    ]);
    expect(await say('lisi', '同意联名 2')).toContain('您已谢绝联名提案 〔2026〕第002号');
    expect(await say('lisi', '同意联名 2')).toContain('如需改为同意，请联系提案人');
  });

  it('「同意」「同意联名」 without a number answer the one pending invitation; several → asked which', async () => {
    await submit('关于加强居家养老服务的建议', ['李四', '赵六']);
    expect(await say('lisi', '同意')).toContain('已确认联名提案 〔2026〕第001号');
    expect(await say('zhaoliu', '不同意联名')).toContain('已记录您谢绝联名提案 〔2026〕第001号');

    await submit('关于规范校外培训机构管理的建议', ['李四']);
    await submit('关于加快老旧小区加装电梯的建议', ['李四']);
    const which = await say('lisi', '同意联名');
    expect(which).toContain('您有 2 件联名邀请待回复');
    expect(which).toContain('〔2026〕第002号《关于规范校外培训机构管理的建议》');
    expect(which).toContain('〔2026〕第003号《关于加快老旧小区加装电梯的建议》');
    // A bare 同意 with several pending is not a cosign answer (nothing is recorded).
    expect(await say('lisi', '同意')).not.toContain('已确认');
    // Full-width digits.
    expect(await say('lisi', '不同意联名３')).toContain('已记录您谢绝联名提案 〔2026〕第003号');
    expect(await say('lisi', '同意联名 〔2026〕第００２号')).toContain('已确认联名提案 〔2026〕第002号');
  });

  it('a bare 「同意」 inside a flow stays the flow’s answer', async () => {
    await submit('关于加强居家养老服务的建议', ['李四']);
    await say('lisi', '写提案');
    await say('lisi', '关于加强农村饮水安全保障的建议');
    expect(await say('lisi', '同意')).not.toContain('已确认联名');
    const [p] = await proposalStore(db).listForMember('zhangsan');
    expect((await proposalStore(db).cosigners(p!.id)).map((c) => c.status)).toEqual(['invited']);
  });

  it('the invitation points to the full text, and 查提案 N号 shows 案由, 具体建议, 联名 and 承办单位', async () => {
    await submit('关于加强居家养老服务的建议', ['李四']);
    const invite = (await db.outbox.listForUser('lisi', 0, 10))
      .map((m) => (m.message.msgtype === 'text' ? m.message.text.content : ''))
      .find((t) => t.includes('【联名邀请】'));
    expect(invite).toContain('发送「查提案 1号」可查看全文');
    const detail = await say('lisi', '查提案 1号');
    expect(detail).toContain(`案由：\n${REASON}`);
    expect(detail).toContain('具体建议：\n1. 由县住房和城乡建设局牵头');
    expect(detail).toContain('联名：李四（待确认）');
    expect(detail).toContain('建议承办单位：由提案委员会确定');
  });
});

describe('the full text within WeCom’s 2048-byte limit', () => {
  it('a 1,900-character 案由 comes in several messages, none over 2048 bytes, nothing lost', async () => {
    const long =
      `${REASON}${'调查显示，群众意见集中在资金分担、低层住户补偿和施工安全三个方面。'.repeat(60)}`.slice(
        0,
        1900,
      );
    await submit('关于加快老旧小区加装电梯的建议', [], long);
    inboxId += 1;
    const messages = (
      await handle(
        {
          type: 'text',
          fromUserName: 'zhangsan',
          toUserName: 'corp',
          createTime: 1,
          msgId: String(inboxId),
          content: '查提案 第1号',
          agentId: '1',
        } as never,
        { inboxId, now: minutes(10) },
      )
    ).flatMap((c) =>
      c.type === 'outbox.add' && c.message.message.msgtype === 'text' ? [c.message.message.text.content] : [],
    );
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(2048);
    expect(messages.join('\n').replace(/\n/g, '')).toContain(long.replace(/\n/g, ''));
  });
});

describe('我的提案: list position vs proposal number, title words', () => {
  it('replying 1 or 2 opens the listed proposal; 第1号 / 1号提案 / 〔2026〕第002号 open by number; 养老 by title', async () => {
    await submit('关于加强居家养老服务的建议');
    await submit('关于规范校外培训机构管理的建议');
    const list = await say('zhangsan', '我的提案');
    expect(list).toContain('1. 〔2026〕第002号《关于规范校外培训机构管理的建议》');
    expect(list).toContain('2. 〔2026〕第001号《关于加强居家养老服务的建议》');
    expect(await say('zhangsan', '1')).toContain('〔2026〕第002号《');
    expect(await say('zhangsan', '2')).toContain('〔2026〕第001号《');
    expect(await say('zhangsan', '第1号')).toContain('〔2026〕第001号《');
    expect(await say('zhangsan', '1号提案')).toContain('〔2026〕第001号《');
    expect(await say('zhangsan', '〔2026〕第002号')).toContain('〔2026〕第002号《');
    await say('zhangsan', '退出');
    expect(await say('zhangsan', '查提案 养老')).toContain('〔2026〕第001号《关于加强居家养老服务的建议》');
  });
});

describe('drafts', () => {
  it('我的提案 while a draft exists says so and how to continue', async () => {
    await say('zhangsan', '写提案');
    await say('zhangsan', '关于加强居家养老服务的建议');
    await say('zhangsan', '取消');
    const mine = await say('zhangsan', '我的提案');
    expect(mine).toContain('1 份未完成的草稿《关于加强居家养老服务的建议》');
    expect(mine).toContain('发送「写提案」可以继续填写');
  });

  it('取消 before any answer saves no empty draft', async () => {
    await say('zhangsan', '写提案');
    const cancelled = await say('zhangsan', '取消');
    expect(cancelled).toContain('没有保存草稿');
    expect(cancelled).not.toContain('已保存为草稿');
    expect(await db.drafts.listForUser('zhangsan')).toEqual([]);
    expect(await say('zhangsan', '写提案')).toContain('第 1 步');
  });

  it('放弃 asks 「确定放弃草稿《…》吗？」 first; 取消 keeps it, 确定 deletes it', async () => {
    await say('zhangsan', '写提案');
    await say('zhangsan', '关于加强居家养老服务的建议');
    await say('zhangsan', '取消');
    await say('zhangsan', '写提案');
    expect(await say('zhangsan', '放弃')).toContain('确定放弃草稿《关于加强居家养老服务的建议》吗');
    expect(await db.drafts.listForUser('zhangsan')).toHaveLength(1);
    const kept = await say('zhangsan', '取消');
    expect(kept).toContain('草稿仍为您保留');
    expect(kept).toContain('您有 1 份未完成的提案草稿');
    expect(await db.drafts.listForUser('zhangsan')).toHaveLength(1);
    await say('zhangsan', '放弃');
    expect(await say('zhangsan', '确定')).toContain('已删除');
    expect(await db.drafts.listForUser('zhangsan')).toEqual([]);
  });

  it('the answer that arrives after an idle timeout is applied to the open question, the draft kept', async () => {
    await say('zhangsan', '写提案', minutes(0));
    await say('zhangsan', '关于加强居家养老服务的建议', minutes(1));
    const late = await say('zhangsan', '社会', minutes(45));
    expect(late).toContain('已超时，内容已保存为草稿');
    expect(late).toContain('请选择细类');
    expect(late).toContain('民政养老托育');
    expect(await say('zhangsan', '民政', minutes(46))).toContain('第 3 步');
    // A request for something else after the timeout is not taken as an answer: the draft waits.
    const other = await say('zhangsan', '我的提案', minutes(120));
    expect(other).toContain('已超时，内容已保存为草稿');
    expect(other).toContain('1 份未完成的草稿《关于加强居家养老服务的建议》');
    expect((await db.drafts.listForUser('zhangsan')).map((d) => d.title)).toEqual([
      '关于加强居家养老服务的建议',
    ]);
  });
});
