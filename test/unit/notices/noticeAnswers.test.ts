/** In-process conversations about notices: the real registry, routes, effects and flow files. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Database } from '../../../src/core/ports.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';
import { testSqlite } from '../../support/testDatabase.js';
import { testHandler, type TestHandler } from '../../support/testHandler.js';
import { STAFF, T0, hours, member, sentNotice } from './helpers.js';

let db: Database;
let handle: TestHandler;
let inboxId = 0;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([STAFF, member('a'), member('b')]);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
});
afterEach(async () => {
  await db.close();
});

const text = (from: string, content: string): InboundMessage => ({
  type: 'text',
  fromUserName: from,
  toUserName: 'corp',
  createTime: '1',
  agentId: '1',
  msgId: String(++inboxId),
  content,
});

async function say(
  content: string,
  from = 'a',
  now = hours(1),
): Promise<{ changes: Change[]; said: string }> {
  const changes = await handle(text(from, content), { inboxId: ++inboxId, now });
  await db.commit(changes);
  const said = changes
    .flatMap((c) =>
      c.type === 'outbox.add' && c.message.message.msgtype === 'text' ? [c.message.message.text.content] : [],
    )
    .join('\n');
  return { changes, said };
}

async function answerOf(noticeId: number, userId = 'a') {
  const r = await noticeStore(db).recipient(noticeId, userId);
  return { answer: r?.answer ?? null, reason: r?.reason ?? null };
}

/** Two open notices: 停车难 (meeting 11月5日), then 营商环境 (meeting 11月8日), sent an hour apart. */
async function twoNotices() {
  const parking = await sentNotice(db, 'n1', { leaveNeedsReason: true }, T0);
  const business = await sentNotice(
    db,
    'n2',
    { title: '营商环境调研', startsAt: '2026-11-08 09:00', replyBy: '2026-11-06 18:00' },
    hours(0.5),
  );
  return { parking, business };
}

describe('which notice a typed answer is for', () => {
  it('with one notice open, 收到，准时参加 records 参加 at once, and the confirmation names this notice', async () => {
    const n = await sentNotice(db, 'n1', {}, T0);
    const r = await say('收到，准时参加');
    expect(await answerOf(n.id)).toEqual({ answer: 'attend', reason: null });
    expect(r.said).toContain('已收到您的回执：参加《停车难专题协商会》');
    expect(r.said).toContain('回复「请假 11月5日」更改');
  });

  it('with two open, 请假 asks which (before: the newest changed silently); 1 picks the first listed', async () => {
    const { parking, business } = await twoNotices();
    const asked = await say('请假');
    expect(asked.changes.some((c) => c.type === 'notice.answer')).toBe(false);
    expect(asked.said).toContain('请问要回复「请假」的是哪一份');
    expect(asked.said).toMatch(
      /1\. 11月8日 《营商环境调研》（未回复）\n2\. 11月5日 《停车难专题协商会》（未回复）/,
    );
    const picked = await say('1');
    expect(await answerOf(business.id)).toEqual({ answer: 'leave', reason: null });
    expect(await answerOf(parking.id)).toEqual({ answer: null, reason: null });
    expect(picked.said).toContain('回复「参加 11月8日」更改');
    expect(await db.conversations.get('a')).toBeNull();
  });

  it('a pick that needs a reason asks it in the same conversation', async () => {
    const { parking } = await twoNotices();
    await say('请假');
    const picked = await say('停车难');
    expect(picked.said).toContain('请选择请假事由');
    await say('1');
    const done = await say('去省里开会');
    expect(done.said).toContain('已记录您的请假：《停车难专题协商会》，事由：出差：去省里开会');
    expect(await answerOf(parking.id)).toEqual({ answer: 'leave', reason: '出差：去省里开会' });
  });

  it('the text can name the notice by day or title word; 请假 with a reason records it without asking', async () => {
    const { parking, business } = await twoNotices();
    await say('参加 11月8日');
    expect(await answerOf(business.id)).toEqual({ answer: 'attend', reason: null });
    const leave = await say('请假 停车难的会');
    expect(await answerOf(parking.id)).toMatchObject({ answer: 'leave' });
    expect(leave.said).toContain('请选择请假事由');
  });

  it('请假，那天出差 with one notice that needs a reason records the reason with its category, asking nothing', async () => {
    const n = await sentNotice(db, 'n1', { leaveNeedsReason: true }, T0);
    const r = await say('请假，那天出差');
    expect(await answerOf(n.id)).toEqual({ answer: 'leave', reason: '出差：那天出差' });
    expect(r.said).toContain('事由：出差：那天出差');
    expect(r.said).not.toContain('请选择请假事由');
    expect(await db.conversations.get('a')).toBeNull();
  });

  it('收到 alone is acknowledged and asks 参加 or 请假 for that notice; it records nothing', async () => {
    const n = await sentNotice(db, 'n1', {}, T0);
    const r = await say('收到');
    expect(r.changes.some((c) => c.type === 'notice.answer')).toBe(false);
    expect(r.said).toContain('请告诉我们能否出席《停车难专题协商会》');
    expect(r.said).toContain('回复「参加」或「请假」');
    expect(await answerOf(n.id)).toEqual({ answer: null, reason: null });
  });
});
