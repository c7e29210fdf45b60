import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/ports.js';
import type { NewNotice } from '../../src/features/notices/ports.js';
import { databaseBackends, useDatabase } from './backends.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

function newNotice(createKey: string, over: Partial<NewNotice> = {}): NewNotice {
  return {
    createKey,
    title: '关于城区停车难的专题协商会😀',
    kind: '专题协商会',
    startsAt: at(72 * HOUR),
    place: '三楼会议室',
    content: '议题：城区停车难问题',
    audience: { all: false, sectors: ['经济界'], committees: [], userIds: ['u9'] },
    replyBy: at(48 * HOUR),
    leaveNeedsReason: true,
    createdBy: 'staff1',
    ...over,
  };
}

async function createAndSend(db: Database, key: string, recipients: string[], when = T0): Promise<number> {
  await db.commit([{ type: 'notice.create', notice: newNotice(key), at: when }]);
  const n = await noticeStore(db).getByCreateKey(key);
  if (!n) throw new Error('not created');
  await db.commit([
    {
      type: 'notice.send',
      noticeId: n.id,
      recipients: recipients.map((userId) => ({ userId, name: `名${userId}` })),
      reminders: [
        { kind: 'nonResponders', dueAt: at(24 * HOUR) },
        { kind: 'morning', dueAt: at(70 * HOUR) },
      ],
      at: when,
    },
  ]);
  return n.id;
}

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`NoticeStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('creates a draft once per createKey and reads it back exactly', async () => {
      await ctx.db.commit([{ type: 'notice.create', notice: newNotice('k1'), at: at(5) }]);
      await ctx.db.commit([
        { type: 'notice.create', notice: newNotice('k1', { title: '第二次' }), at: at(9) },
      ]);
      const n = await noticeStore(ctx.db).getByCreateKey('k1');
      expect(n).toEqual({
        ...newNotice('k1'),
        id: expect.any(Number),
        status: 'draft',
        createdAt: at(5),
        sentAt: null,
      });
      expect(await noticeStore(ctx.db).get(n!.id)).toEqual(n);
      expect(await noticeStore(ctx.db).get(n!.id + 1000)).toBeNull();
      expect(await noticeStore(ctx.db).latestSent()).toBeNull();
    });

    it('send stores recipients and reminders once, even when sent twice', async () => {
      const id = await createAndSend(ctx.db, 'k2', ['b', 'a', 'c']);
      await ctx.db.commit([
        {
          type: 'notice.send',
          noticeId: id,
          recipients: [{ userId: 'zz', name: '后来者' }],
          reminders: [{ kind: 'morning', dueAt: at(1) }],
          at: at(100),
        },
      ]);
      const n = await noticeStore(ctx.db).get(id);
      expect(n).toMatchObject({ status: 'sent', sentAt: T0 });
      const rs = await noticeStore(ctx.db).recipients(id);
      expect(rs.map((r) => r.userId)).toEqual(['a', 'b', 'c']);
      expect(rs[0]).toEqual({
        noticeId: id,
        userId: 'a',
        name: '名a',
        answer: null,
        reason: null,
        answeredAt: null,
        delivery: 'pending',
        deliveryError: null,
        deliveredAt: null,
      });
      const reminders = await noticeStore(ctx.db).reminders(id);
      expect(reminders.map((r) => [r.kind, r.dueAt])).toEqual([
        ['nonResponders', at(24 * HOUR)],
        ['morning', at(70 * HOUR)],
      ]);
      expect((await noticeStore(ctx.db).latestSent())?.id).toBe(id);
    });

    it('stores 2,500 recipients in one commit', async () => {
      const ids = Array.from({ length: 2500 }, (_, i) => `m${String(i).padStart(5, '0')}`);
      const id = await createAndSend(ctx.db, 'big', ids);
      expect(await noticeStore(ctx.db).recipients(id)).toHaveLength(2500);
    });

    it('records answers (changeable, reason kept or cleared) and ignores non-recipients', async () => {
      const id = await createAndSend(ctx.db, 'k3', ['a', 'b']);
      await ctx.db.commit([
        {
          type: 'notice.answer',
          noticeId: id,
          userId: 'a',
          answer: 'leave',
          reason: '出差：外地',
          at: at(10),
        },
        { type: 'notice.answer', noticeId: id, userId: 'x', answer: 'attend', reason: null, at: at(10) },
      ]);
      expect(await noticeStore(ctx.db).recipient(id, 'a')).toMatchObject({
        answer: 'leave',
        reason: '出差：外地',
        answeredAt: at(10),
      });
      expect(await noticeStore(ctx.db).recipient(id, 'x')).toBeNull();
      await ctx.db.commit([
        { type: 'notice.answer', noticeId: id, userId: 'a', answer: 'attend', reason: null, at: at(20) },
      ]);
      expect(await noticeStore(ctx.db).recipient(id, 'a')).toMatchObject({
        answer: 'attend',
        reason: null,
        answeredAt: at(20),
      });
      expect(await noticeStore(ctx.db).recipient(id, 'b')).toMatchObject({ answer: null });
    });

    it('records delivery per recipient and keeps the first final result', async () => {
      const id = await createAndSend(ctx.db, 'k4', ['a', 'b', 'c']);
      await ctx.db.commit([
        {
          type: 'notice.delivery',
          noticeId: id,
          userIds: ['a', 'c'],
          delivery: 'sent',
          error: null,
          at: at(1),
        },
        {
          type: 'notice.delivery',
          noticeId: id,
          userIds: ['b'],
          delivery: 'failed',
          error: 'invaliduser',
          at: at(1),
        },
      ]);
      await ctx.db.commit([
        { type: 'notice.delivery', noticeId: id, userIds: ['b'], delivery: 'sent', error: null, at: at(2) },
      ]);
      const rs = await noticeStore(ctx.db).recipients(id);
      expect(rs.map((r) => [r.userId, r.delivery, r.deliveryError, r.deliveredAt])).toEqual([
        ['a', 'sent', null, at(1)],
        ['b', 'failed', 'invaliduser', at(1)],
        ['c', 'sent', null, at(1)],
      ]);
    });

    it('lists the sent notices addressed to a member, newest first', async () => {
      const first = await createAndSend(ctx.db, 'k5', ['a', 'b'], at(0));
      const second = await createAndSend(ctx.db, 'k6', ['a'], at(1000));
      await ctx.db.commit([{ type: 'notice.create', notice: newNotice('draft-only'), at: at(2000) }]);
      expect((await noticeStore(ctx.db).listForMember('a', 10)).map((n) => n.id)).toEqual([second, first]);
      expect((await noticeStore(ctx.db).listForMember('a', 1)).map((n) => n.id)).toEqual([second]);
      expect((await noticeStore(ctx.db).listForMember('b', 10)).map((n) => n.id)).toEqual([first]);
      expect(await noticeStore(ctx.db).listForMember('nobody', 10)).toEqual([]);
    });

    it('leases due reminders to one claimer until done or the lease ends', async () => {
      const id = await createAndSend(ctx.db, 'k7', ['a']);
      expect(await noticeStore(ctx.db).claimDueReminders(at(24 * HOUR - 1), 10, 60_000)).toEqual([]);
      const claimed = await noticeStore(ctx.db).claimDueReminders(at(24 * HOUR), 10, 60_000);
      expect(claimed.map((r) => [r.noticeId, r.kind, r.leaseUntil])).toEqual([
        [id, 'nonResponders', at(24 * HOUR + 60_000)],
      ]);
      // Another instance asking meanwhile gets nothing.
      const other = await ctx.openAnother();
      expect(await noticeStore(other).claimDueReminders(at(24 * HOUR + 1000), 10, 60_000)).toEqual([]);
      // The holder died: due again once the lease ends.
      const again = await noticeStore(other).claimDueReminders(at(24 * HOUR + 60_000), 10, 60_000);
      expect(again.map((r) => r.id)).toEqual([claimed[0]!.id]);
      await ctx.db.commit([{ type: 'notice.reminderDone', id: claimed[0]!.id, at: at(24 * HOUR + 61_000) }]);
      expect(await noticeStore(ctx.db).claimDueReminders(at(25 * HOUR), 10, 60_000)).toEqual([]);
      const all = await noticeStore(ctx.db).claimDueReminders(at(80 * HOUR), 10, 60_000);
      expect(all.map((r) => r.kind)).toEqual(['morning']);
    });

    it('never hands one reminder to two concurrent claimers', async () => {
      for (let i = 0; i < 6; i++) await createAndSend(ctx.db, `c${i}`, ['a']);
      const other = await ctx.openAnother();
      const [x, y] = await Promise.all([
        noticeStore(ctx.db).claimDueReminders(at(100 * HOUR), 50, 60_000),
        noticeStore(other).claimDueReminders(at(100 * HOUR), 50, 60_000),
      ]);
      const ids = [...x, ...y].map((r) => r.id);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    });

    it('outbox batches keep their recipients, notice and card update; outbox.sent / outbox.failed as changes', async () => {
      const text = { msgtype: 'text' as const, text: { content: '已收到' } };
      await ctx.db.commit([
        {
          type: 'outbox.add',
          at: T0,
          message: {
            dedupKey: 'b1',
            toUser: '@notice:1:0',
            message: text,
            recipients: ['a', 'b'],
            noticeId: 7,
          },
        },
        {
          type: 'outbox.add',
          at: T0,
          message: {
            dedupKey: 'u1',
            toUser: 'a',
            message: text,
            cardUpdate: { responseCode: 'rc-1', replaceName: '已选择：参加' },
          },
        },
      ]);
      const [batch, update] = await ctx.db.outbox.claimDue(T0, 10, 1000);
      expect(batch).toMatchObject({ recipients: ['a', 'b'], noticeId: 7 });
      expect(batch!.cardUpdate).toBeUndefined();
      expect(update).toMatchObject({ cardUpdate: { responseCode: 'rc-1', replaceName: '已选择：参加' } });
      expect(update!.recipients).toBeUndefined();
      await ctx.db.commit([
        { type: 'outbox.sent', id: batch!.id, sentAt: at(5), wecomMsgId: 'm1' },
        { type: 'outbox.failed', id: update!.id, errcode: 40058, reason: 'bad', at: at(6) },
      ]);
      expect(await ctx.reads.outboxItem(batch!.id)).toMatchObject({
        status: 'sent',
        sentAt: at(5),
        wecomMsgId: 'm1',
      });
      expect(await ctx.reads.outboxItem(update!.id)).toMatchObject({
        status: 'failed',
        lastErrcode: 40058,
        lastError: 'bad',
      });
    });
  });
}
