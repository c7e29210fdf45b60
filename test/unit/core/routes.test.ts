import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Database } from '../../../src/core/ports.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';
import { testSqlite } from '../../support/testDatabase.js';
import { testHandler, type TestHandler } from '../../support/testHandler.js';
import { STAFF, T0, hours, member, sentNotice } from '../notices/helpers.js';

/** A flow whose question takes 参加 as an answer — the word a notice route answers outside flows. */
const SIGNUP = `schemaVersion: 1
id: signup
version: 1
title: 活动报名
triggers: { keywords: [报名] }
fields: { choice: { label: 是否参加 }, note: { label: 备注 } }
start: ask_choice
steps:
  - id: ask_choice
    type: choice
    field: choice
    prompt: 本次调研活动您是否参加？
    options:
      - { value: yes, label: 参加 }
      - { value: no, label: 不参加 }
  - { id: ask_note, type: ask, field: note, prompt: 请留下备注 }
  - { id: done, type: end, text: 已报名 }
`;

let db: Database;
let handle: TestHandler;
let inboxId = 0;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([STAFF, member('a')]);
  handle = testHandler(db, createFlowRegistry([{ file: 'signup.yaml', text: SIGNUP }]));
});
afterEach(async () => {
  await db.close();
});

const text = (content: string): InboundMessage => ({
  type: 'text',
  fromUserName: 'a',
  toUserName: 'corp',
  createTime: '1',
  agentId: '1',
  msgId: String(++inboxId),
  content,
});

/** Says something as member a and commits it as the worker does. */
async function say(content: string, now = hours(1)): Promise<{ changes: Change[]; replies: string[] }> {
  const changes = await handle(text(content), { inboxId: ++inboxId, now });
  await db.commit(changes);
  const replies = changes.flatMap((c) =>
    c.type === 'outbox.add' && c.message.message.msgtype === 'text' ? [c.message.message.text.content] : [],
  );
  return { changes, replies };
}

describe('routes do not steal answers', () => {
  it('参加 answers the open flow question, not the open notice; outside the flow it answers the notice', async () => {
    const notice = await sentNotice(db, 'n1', {}, T0);
    await say('报名');
    const inFlow = await say('参加');
    expect(inFlow.changes.some((c) => c.type === 'notice.answer')).toBe(false);
    expect(inFlow.replies.join('\n')).toContain('请留下备注');
    const conversation = await db.conversations.get('a');
    expect(conversation?.data).toMatchObject({ state: { answers: { choice: 'yes' } } });

    await say('周末有空');
    const outside = await say('参加');
    expect(outside.changes).toContainEqual(
      expect.objectContaining({ type: 'notice.answer', noticeId: notice.id, userId: 'a', answer: 'attend' }),
    );
  });

  it('a flow that went idle no longer holds the answer', async () => {
    const notice = await sentNotice(db, 'n2', {}, T0);
    await say('报名', hours(1));
    const late = await say('参加', hours(2));
    expect(late.changes).toContainEqual(
      expect.objectContaining({ type: 'notice.answer', noticeId: notice.id }),
    );
  });

  it('a route that may interrupt (同意联名 N) still answers mid-flow', async () => {
    await say('报名');
    const r = await say('同意联名 7');
    expect(r.replies.join('\n')).toContain('没有找到邀请您联名的第 7 号提案');
    // The question is still open: the next answer is the flow's.
    expect((await say('不参加')).replies.join('\n')).toContain('请留下备注');
  });
});
