import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../src/core/flowRegistry.js';
import type { Database } from '../../src/core/ports.js';
import { readFlowFiles } from '../../src/store/flowFiles.js';
import { MEMBERS } from '../fixtures/members.js';
import { sayAs, testHandler, type TestHandler } from '../support/testHandler.js';
import { testSqlite } from '../support/testDatabase.js';

/** The draft menu (写提案 with a kept draft) reads answers through the same normaliser as the flows. */

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
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
});
afterEach(async () => {
  await db.close();
});

async function keepDraft(): Promise<void> {
  await say('zhangsan', '写提案', minutes(0));
  await say('zhangsan', '关于加快老旧小区加装电梯的建议', minutes(1));
  await say('zhangsan', '1', minutes(2));
  await say('zhangsan', '取消', minutes(3));
  expect(await say('zhangsan', '写提案', minutes(10))).toContain('您有 1 份未完成的提案草稿');
}

describe('draft menu in everyday words', () => {
  it('继续吧 continues the draft', async () => {
    await keepDraft();
    expect(await say('zhangsan', '继续吧', minutes(11))).toContain('请选择细类');
  });
  it('继续１ (full-width) continues the draft', async () => {
    await keepDraft();
    expect(await say('zhangsan', '继续１', minutes(11))).toContain('请选择细类');
  });
  it('算了 still leaves the menu', async () => {
    await keepDraft();
    expect(await say('zhangsan', '算了吧', minutes(11))).not.toContain('请选择细类');
    expect(await db.drafts.listForUser('zhangsan')).toHaveLength(1);
  });
});
