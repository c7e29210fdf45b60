import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database } from '../../../src/core/ports.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';
import { readFaqFile, readFlowFiles } from '../../../src/store/flowFiles.js';
import { loadFaq } from '../../../src/core/loadFaq.js';
import { MEMBERS } from '../../fixtures/members.js';
import { sentNotice } from '../notices/helpers.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { testSqlite } from '../../support/testDatabase.js';

/**
 * Free text understood end to end over the real flow files, routes and FAQ and an in-memory SQLite database: a
 * confident match acts, a middling one asks and the number picks, a poor one lists what this person can do and
 * what waits for them; a keyword's trailing text never answers a confirmation; a query mid-flow re-asks.
 */

const T0 = new Date('2026-11-02T01:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let db: Database;
let handle: TestHandler;
let inboxId = 0;

async function say(userId: string, text: string, now: Date): Promise<string> {
  inboxId += 1;
  return sayAs(db, handle, { userId, text, now, inboxId });
}

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  const flows = createFlowRegistry(await readFlowFiles('flows'));
  handle = testHandler(db, flows, { faq: loadFaq(await readFaqFile('flows')) });
});
afterEach(async () => {
  await db.close();
});

describe('understood in their own words', () => {
  it('「收到，准时参加」 after a notice records 参加 for it (before: 没有理解)', async () => {
    const notice = await sentNotice(db, 'nlu-attend', { audience: { userids: ['lisi'] } }, minutes(0));
    await say('lisi', '收到，准时参加', minutes(1));
    const receipt = (await noticeStore(db).recipients(notice.id)).find((r) => r.userId === 'lisi');
    expect(receipt).toMatchObject({ answer: 'attend' });
  });

  it('「我想写提案」 starts the proposal; 「怎么写提案」 gets the FAQ answer', async () => {
    expect(await say('zhangsan', '我想写提案', minutes(0))).toContain('第 1 步');
    expect(await say('lisi', '怎么写提案', minutes(0))).toContain('具体建议');
  });

  it('「提案」 alone asks which, and the number picks', async () => {
    const asked = await say('zhangsan', '提案', minutes(0));
    expect(asked).toContain('您是想');
    const lines = asked.split('\n');
    const n = lines.findIndex((l) => l.includes('我的提案'));
    expect(n).toBeGreaterThan(0);
    expect(await say('zhangsan', String(n), minutes(1))).toContain('还没有提交过提案');
  });

  it('a text nobody understands lists what this member can do and the notice waiting for them', async () => {
    await sentNotice(db, 'nlu-waiting', { audience: { userids: ['lisi'] } }, minutes(0));
    const help = await say('lisi', '股票涨了', minutes(1));
    expect(help).toContain('没有理解');
    expect(help).toContain('「写提案」');
    expect(help).toContain('尚未回复');
    expect(help).not.toContain('「发通知」');
  });
});

describe('a keyword followed by text', () => {
  it('「通知统计 1」 shows the receipts and waits; the 1 answers no question (before: it chose 提醒)', async () => {
    await sentNotice(db, 'nlu-stats', { audience: { userids: ['lisi'] } }, minutes(0));
    const shown = await say('wangwu', '通知统计 1', minutes(1));
    expect(shown).toContain('需要提醒');
    expect(shown).not.toMatch(/确认向|已提醒/);
  });
});

describe('a query in the middle of a flow', () => {
  it('「我的提案」 while drafting answers, then asks the open question again', async () => {
    await say('zhangsan', '写提案', minutes(0));
    const both = await say('zhangsan', '我的提案', minutes(1));
    expect(both).toContain('还没有提交过提案');
    expect(both).toContain('第 1 步');
    expect(await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(2))).toContain('第 2 步');
  });
});
