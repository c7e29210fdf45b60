import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database } from '../../../src/core/ports.js';
import { reviewReport, sentimentStore } from '../../../src/features/sentiment/index.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/** A member's 社情民意 as typed: a draft that resumes, 退回修改 told with its reason, staff refused by the rules. */
let db: Database;
let handle: TestHandler;
let inboxId = 0;
const T0 = new Date('2026-11-02T01:00:00Z');
const say = (userId: string, text: string, now = T0) =>
  sayAs(db, handle, { userId, text, now, inboxId: ++inboxId });

const SITUATION =
  '城区实验小学周边道路上下学时段车辆拥堵严重，家长接送车辆占道停放，学生过马路存在安全隐患。';

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
});
afterEach(async () => {
  await db.close();
});

describe('a member’s 社情民意 in chat', () => {
  it('取消 keeps a draft; 反映社情民意 offers it and 继续 asks the open question', async () => {
    await say('zhangsan', '反映社情民意');
    await say('zhangsan', '关于城区学校周边交通拥堵的情况反映');
    expect(await say('zhangsan', '取消')).toContain('草稿');
    expect(await say('zhangsan', '我的社情民意')).toContain('1 份未完成的草稿');
    const menu = await say('zhangsan', '反映社情民意');
    expect(menu).toContain('关于城区学校周边交通拥堵的情况反映');
    expect(await say('zhangsan', '继续1')).toContain('类别');
  });

  it('submits once, then 退回修改 reaches the member with the reason; a second 退回 is refused with the state', async () => {
    await say('zhangsan', '反映社情民意');
    await say('zhangsan', '关于城区学校周边交通拥堵的情况反映');
    await say('zhangsan', '城乡建设');
    await say('zhangsan', SITUATION);
    await say('zhangsan', '学校周边缺少临时停车位，交警疏导力量不足。');
    expect(await say('zhangsan', '县公安局交警大队在上下学时段加强疏导。')).toContain('第 6 步');
    await say('zhangsan', '不用');
    expect(await say('zhangsan', '提交')).toContain('状态：待审核');
    const [report] = await sentimentStore(db).listForReporter('zhangsan');
    const returned = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'return', reason: '请补充具体路段和时段的数据' },
      actorId: 'wangwu',
      now: T0,
    });
    if (!returned.ok) throw new Error(returned.reason);
    await db.commit(returned.changes);
    const told = (await db.outbox.listForUser('zhangsan', 0, 200)).filter(
      (o) => o.message.msgtype === 'text' && o.message.text.content.includes('被退回修改'),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.message.msgtype === 'text' && told[0]!.message.text.content).toContain(
      '请补充具体路段和时段的数据',
    );
    const again = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'keep' },
      actorId: 'wangwu',
      now: T0,
    });
    expect(again).toEqual({
      ok: false,
      code: 'conflict',
      reason: '该信息当前为「退回修改」，只有待审核的信息可以留存。',
    });
    expect(await say('zhangsan', '我的社情民意')).toContain('— 退回修改');
  });

  it('members never reach the staff review', async () => {
    expect(await say('zhangsan', '社情民意审核')).not.toContain('待处理的社情民意');
  });
});
