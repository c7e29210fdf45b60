import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database } from '../../../src/core/ports.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/** 我的积分 and 履职统计 as people type them, over the real flows, effects and the shipped default rules. */
let db: Database;
let handle: TestHandler;
let inboxId = 0;
const now = new Date('2026-06-30T04:00:00Z');
const say = (userId: string, text: string) => sayAs(db, handle, { userId, text, now, inboxId: ++inboxId });

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
});
afterEach(async () => {
  await db.close();
});

describe('我的履职 / 履职统计 in chat', () => {
  it('a member with nothing recorded sees 0 points and what is still open', async () => {
    const text = await say('zhangsan', '我今年的积分是多少');
    expect(text).toContain('张三 2026 年履职积分：0 分');
    expect(text).toContain('今年还没有提交提案（至少 1 件）');
  });

  it('staff see every member and the 退出关 list; a member asking for it is not a staff member', async () => {
    const text = await say('wangwu', '履职统计');
    expect(text).toContain('2026 年履职统计');
    expect(text).toContain('委员 2 人');
    expect(text).toContain('退出关名单：');
    expect(text).toContain('张三（积分 0 分，低于 60 分）');
    expect(await say('zhangsan', '履职统计')).not.toContain('委员 2 人');
  });
});
