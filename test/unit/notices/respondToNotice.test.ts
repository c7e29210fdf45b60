import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import { parseTextAnswer, respondToNotice } from '../../../src/features/notices/respondToNotice.js';
import type { Database } from '../../../src/core/ports.js';
import { testHandler } from '../../support/testHandler.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';
import { STAFF, T0, hours, member, sentNotice } from './helpers.js';
import { testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([STAFF, member('a'), member('b'), member('c', { sector: '教育界' })]);
});
afterEach(async () => {
  await db.close();
});

const tap = (eventKey: string, responseCode = 'rc') => ({ kind: 'tap' as const, eventKey, responseCode });
const base = { inboxId: 1, officeContact: '县政协办公室' };

describe('respondToNotice', () => {
  it('reads typed answers', () => {
    const answerOf = (t: string) => {
      const r = parseTextAnswer(t);
      return r?.kind === 'answer' ? r.answer : (r?.kind ?? null);
    };
    expect(['参加', '请假', '回复参加', '回复 请假', '「参加」', '参加。'].map(answerOf)).toEqual([
      'attend',
      'leave',
      'attend',
      'leave',
      'attend',
      'attend',
    ]);
    expect(['请假吗', '', '参加政协会议需要带什么材料'].map(answerOf)).toEqual([null, null, null]);
  });

  it('records a tap with a card update whose fallback is the confirmation text', async () => {
    const n = await sentNotice(db, 'k');
    const r = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: tap(`notice:${n.id}:attend`, 'rc-1'),
      now: T0,
    });
    expect(r?.changes).toEqual([
      { type: 'notice.answer', noticeId: n.id, userId: 'a', answer: 'attend', reason: null, at: T0 },
      {
        type: 'outbox.add',
        at: T0,
        message: {
          dedupKey: 'reply:1:notice',
          toUser: 'a',
          message: {
            msgtype: 'text',
            text: { content: expect.stringContaining('已收到您的回执：参加《停车难专题协商会》') },
          },
          cardUpdate: { responseCode: 'rc-1', replaceName: '已选择：参加' },
        },
      },
    ]);
    expect(r?.startFlow).toBeUndefined();
  });

  it('a repeated answer records nothing; a changed one is recorded', async () => {
    const n = await sentNotice(db, 'k');
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'a', answer: 'attend', reason: null, at: T0 },
    ]);
    const again = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: { kind: 'text', answer: 'attend' },
      now: hours(1),
    });
    expect(again?.changes.map((c) => c.type)).toEqual(['outbox.add']);
    expect(again?.reply).toMatch(/您已回复「参加」/);
    const changed = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: { kind: 'text', answer: 'leave' },
      now: hours(2),
    });
    expect(changed?.changes[0]).toMatchObject({ type: 'notice.answer', answer: 'leave', at: hours(2) });
    expect(changed?.reply).toMatch(/已为您更改回执：请假/);
  });

  it('asks for a reason when the notice needs one', async () => {
    const n = await sentNotice(db, 'k', { leaveNeedsReason: true });
    const r = await respondToNotice(db, {
      ...base,
      member: member('b'),
      reply: tap(`notice:${n.id}:leave`),
      now: T0,
    });
    expect(r?.startFlow).toEqual({ flowId: 'notice_leave', context: { noticeId: String(n.id) } });
    expect(r?.changes[0]).toMatchObject({ type: 'notice.answer', answer: 'leave', reason: null });
    await db.commit(r!.changes);
    // Asked again while the reason is still missing; not once it is given.
    const again = await respondToNotice(db, {
      ...base,
      member: member('b'),
      reply: { kind: 'text', answer: 'leave' },
      now: T0,
    });
    expect(again?.changes.map((c) => c.type)).toEqual(['outbox.add']);
    expect(again?.startFlow).toEqual({ flowId: 'notice_leave', context: { noticeId: String(n.id) } });
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'b', answer: 'leave', reason: '生病', at: T0 },
    ]);
    const done = await respondToNotice(db, {
      ...base,
      member: member('b'),
      reply: { kind: 'text', answer: 'leave' },
      now: T0,
    });
    expect(done?.startFlow).toBeUndefined();
  });

  it('refuses after the deadline, strangers to the notice, and unknown notices; ignores other keys', async () => {
    const n = await sentNotice(db, 'k', { audience: { sectors: ['经济界'] } });
    const late = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: tap(`notice:${n.id}:attend`),
      now: hours(49),
    });
    expect(late?.changes).toHaveLength(1);
    expect(late?.reply).toMatch(/已于 11月4日 09:00 截止.*请联系县政协办公室/);
    expect(late?.changes[0]).not.toHaveProperty('message.cardUpdate');
    const stranger = await respondToNotice(db, {
      ...base,
      member: member('c'),
      reply: tap(`notice:${n.id}:attend`),
      now: T0,
    });
    expect(stranger?.reply).toMatch(/不是发给您的/);
    const gone = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: tap('notice:999:attend'),
      now: T0,
    });
    expect(gone?.reply).toMatch(/没有找到这份通知/);
    expect(
      await respondToNotice(db, { ...base, member: member('a'), reply: tap('other_key'), now: T0 }),
    ).toBeNull();
    expect(
      await respondToNotice(db, {
        ...base,
        member: member('c'),
        reply: { kind: 'text', answer: 'attend' },
        now: T0,
      }),
    ).toBeNull();
  });

  it('a typed answer goes to the latest notice still open', async () => {
    const older = await sentNotice(db, 'k1', {}, T0);
    const closing = await sentNotice(db, 'k2', { replyBy: '2026-11-02 12:00' }, hours(1));
    const r = await respondToNotice(db, {
      ...base,
      member: member('a'),
      reply: { kind: 'text', answer: 'attend' },
      now: hours(4),
    });
    expect(r?.changes[0]).toMatchObject({ noticeId: older.id });
    expect(closing.id).toBeGreaterThan(older.id);
  });
});

describe('handleInbound routing of 回执', () => {
  function handler() {
    return testHandler(db, createFlowRegistry([]), { draftFlows: [] });
  }
  const cardEvent = (from: string, eventKey: string): InboundMessage => ({
    type: 'template_card_event',
    fromUserName: from,
    toUserName: 'corp',
    createTime: '1',
    agentId: '1',
    eventKey,
    taskId: 't',
    cardType: 'button_interaction',
    responseCode: 'rc',
    selectedItems: [],
  });

  it('starts the reason flow in the member conversation', async () => {
    const n = await sentNotice(db, 'k', { leaveNeedsReason: true });
    const withFlows = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
    const changes = await withFlows(cardEvent('a', `notice:${n.id}:leave`), { inboxId: 5, now: T0 });
    expect(changes.map((c) => c.type)).toEqual([
      'notice.answer',
      'outbox.add',
      'conversation.save',
      'outbox.add',
    ]);
    expect(changes[2]).toMatchObject({
      data: { state: { flowId: 'notice_leave' }, context: { noticeId: String(n.id) } },
    });
    // A tap on a card that is not a notice's changes nothing; a stranger is told whom to contact.
    expect(await handler()(cardEvent('a', 'other'), { inboxId: 7, now: T0 })).toEqual([]);
    const stranger = await handler()(cardEvent('nobody', `notice:${n.id}:leave`), { inboxId: 8, now: T0 });
    expect(stranger).toHaveLength(1);
  });
});
