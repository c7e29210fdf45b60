import { describe, expect, it } from 'vitest';
import type { Database, NewOutboxMessage, OutboundMessage } from '../../src/core/ports.js';
import { databaseBackends, useDatabase } from './backends.js';
import { markOutboxFailed, markOutboxSent } from './storeReads.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const text = (content: string): OutboundMessage => ({ msgtype: 'text', text: { content } });

async function add(db: Database, message: NewOutboxMessage, when = T0): Promise<void> {
  await db.commit([{ type: 'outbox.add', message, at: when }]);
}

/** n messages, to one member or (`toUser` a function) one each to several. */
async function addMany(
  db: Database,
  n: number,
  toUser: string | ((i: number) => string) = 'u1',
): Promise<void> {
  await db.commit(
    Array.from({ length: n }, (_, i) => ({
      type: 'outbox.add' as const,
      message: {
        dedupKey: `k${i}`,
        toUser: typeof toUser === 'string' ? toUser : toUser(i),
        message: text(`m${i}`),
      },
      at: T0,
    })),
  );
}

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`OutboxStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('adds a pending message due at the commit time, round-tripping emoji content', async () => {
      const message: OutboundMessage = {
        msgtype: 'textcard',
        textcard: {
          title: '提案😀',
          description: '<div>已受理</div>',
          url: 'https://example.org/p/1?a=1&b=2',
          btntxt: '详情',
        },
      };
      await add(ctx.db, { dedupKey: 'reply:7392049583726104832', toUser: 'u1', message }, at(123));
      const [item] = await ctx.db.outbox.listForUser('u1', 0, 10);
      expect(item).toEqual({
        id: expect.any(Number),
        dedupKey: 'reply:7392049583726104832',
        toUser: 'u1',
        message,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(123),
        lastErrcode: null,
        lastError: null,
        wecomMsgId: null,
        createdAt: at(123),
        sentAt: null,
        channel: 'wecom-app',
      });
      expect(await ctx.reads.outboxItem(item!.id)).toEqual(item);
      expect(await ctx.reads.outboxItem(999_999)).toBeNull();
    });

    it('stores the channel a message names, and reads it back through every read', async () => {
      await ctx.db.commit([
        {
          type: 'outbox.add',
          at: T0,
          message: { dedupKey: 'bot', toUser: 'u1', message: text('via bot'), channel: 'wecom-bot' },
        },
        { type: 'outbox.add', at: T0, message: { dedupKey: 'app', toUser: 'u1', message: text('via app') } },
      ]);
      const listed = await ctx.db.outbox.listForUser('u1', 0, 10);
      expect(listed.map((i) => [i.dedupKey, i.channel])).toEqual([
        ['bot', 'wecom-bot'],
        ['app', 'wecom-app'],
      ]);
      expect((await ctx.db.outbox.claimDue(T0, 10, 1000)).map((i) => i.channel)).toEqual([
        'wecom-bot',
        'wecom-app',
      ]);
      expect((await ctx.reads.outboxItem(listed[0]!.id))?.channel).toBe('wecom-bot');
    });

    it('listForUser includes batch messages whose recipients include the user', async () => {
      await ctx.db.commit([
        {
          type: 'outbox.add',
          at: T0,
          message: { dedupKey: 'batch', toUser: '@batch', recipients: ['u1', 'u10'], message: text('all') },
        },
        { type: 'outbox.add', at: T0, message: { dedupKey: 'own', toUser: 'u1', message: text('mine') } },
      ]);
      expect((await ctx.db.outbox.listForUser('u1', 0, 10)).map((i) => i.dedupKey)).toEqual(['batch', 'own']);
      expect((await ctx.db.outbox.listForUser('u10', 0, 10)).map((i) => i.dedupKey)).toEqual(['batch']);
      expect(await ctx.db.outbox.listForUser('u', 0, 10)).toEqual([]);
    });

    it('honours notBefore', async () => {
      await add(ctx.db, { dedupKey: 'later', toUser: 'u1', message: text('x'), notBefore: at(60_000) });
      expect(await ctx.db.outbox.claimDue(at(59_999), 10, 1000)).toEqual([]);
      expect(await ctx.db.outbox.claimDue(at(60_000), 10, 1000)).toHaveLength(1);
    });

    it('ignores a second message with the same dedupKey, in a later commit or the same one', async () => {
      await add(ctx.db, { dedupKey: 'once', toUser: 'u1', message: text('first') });
      await add(ctx.db, { dedupKey: 'once', toUser: 'u1', message: text('second') });
      await ctx.db.commit([
        { type: 'outbox.add', message: { dedupKey: 'twice', toUser: 'u1', message: text('a') }, at: T0 },
        { type: 'outbox.add', message: { dedupKey: 'twice', toUser: 'u1', message: text('b') }, at: T0 },
      ]);
      const items = await ctx.db.outbox.listForUser('u1', 0, 10);
      expect(items.map((i) => [i.dedupKey, i.message])).toEqual([
        ['once', text('first')],
        ['twice', text('a')],
      ]);
    });

    it('claimDue leases due items oldest first, up to limit, and hides them until the lease ends', async () => {
      await addMany(ctx.db, 5, (i) => `u${i}`);
      await add(ctx.db, { dedupKey: 'future', toUser: 'u9', message: text('f'), notBefore: at(3_600_000) });
      const first = await ctx.db.outbox.claimDue(at(0), 3, 30_000);
      expect(first.map((i) => i.dedupKey)).toEqual(['k0', 'k1', 'k2']);
      for (const i of first) expect(i.nextAttemptAt).toEqual(at(30_000));
      expect((await ctx.reads.outboxItem(first[0]!.id))?.nextAttemptAt).toEqual(at(30_000));
      const second = await ctx.db.outbox.claimDue(at(0), 10, 30_000);
      expect(second.map((i) => i.dedupKey)).toEqual(['k3', 'k4']);
      expect(await ctx.db.outbox.claimDue(at(29_999), 10, 30_000)).toEqual([]);
      // The lease ended (the sender died): the items are due again, still pending, attempts unchanged.
      const again = await ctx.db.outbox.claimDue(at(30_000), 10, 30_000);
      expect(again.map((i) => i.dedupKey)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
      for (const i of again) expect(i).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('renewLease extends only the items still held under the lease time the holder set', async () => {
      await addMany(ctx.db, 3, (i) => `u${i}`);
      const [a, b, c] = await ctx.db.outbox.claimDue(at(0), 3, 3000);
      // b is settled (rescheduled) meanwhile, c is sent: neither is renewed, and neither is revived.
      await ctx.db.outbox.reschedule(b!.id, { at: at(500), errcode: -1, reason: 'busy', countAttempt: true });
      await markOutboxSent(ctx.db, c!.id, { sentAt: at(100), wecomMsgId: null });
      expect(await ctx.db.outbox.renewLease([a!.id, b!.id, c!.id], at(3000), at(5000))).toBe(1);
      expect((await ctx.reads.outboxItem(a!.id))?.nextAttemptAt).toEqual(at(5000));
      expect((await ctx.reads.outboxItem(b!.id))?.nextAttemptAt).toEqual(at(500));
      expect((await ctx.reads.outboxItem(c!.id))?.status).toBe('sent');
      // The renewed lease hides a from other claimers until it ends.
      expect((await ctx.db.outbox.claimDue(at(4999), 10, 3000)).map((i) => i.id)).toEqual([b!.id]);
      // A holder that lost its lease (another claimer set another time) renews nothing.
      const [taken] = await ctx.db.outbox.claimDue(at(5000), 10, 3000);
      expect(taken!.id).toBe(a!.id);
      expect(await ctx.db.outbox.renewLease([a!.id], at(5000), at(9000))).toBe(0);
      expect((await ctx.reads.outboxItem(a!.id))?.nextAttemptAt).toEqual(at(8000));
      expect(await ctx.db.outbox.renewLease([], at(0), at(1))).toBe(0);
    });

    it('never hands one item to two concurrent claimers (two Database instances)', async () => {
      const n = 30;
      await addMany(ctx.db, n, (i) => `u${i}`);
      const other = await ctx.openAnother();
      const claimAll = async (db: Database): Promise<number[]> => {
        const ids: number[] = [];
        for (;;) {
          const got = await db.outbox.claimDue(at(0), 3, 60_000);
          if (got.length === 0) return ids;
          ids.push(...got.map((i) => i.id));
        }
      };
      const [a, b] = await Promise.all([claimAll(ctx.db), claimAll(other)]);
      const all = [...a, ...b];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(n);
    });

    it("holds a member's later messages behind an earlier one waiting for a retry; not behind one scheduled for later", async () => {
      await addMany(ctx.db, 3, (i) => (i === 1 ? 'u2' : 'u1'));
      await add(ctx.db, { dedupKey: 'batch', toUser: '@batch', recipients: ['u1'], message: text('all') });
      const [k0] = await ctx.db.outbox.claimDue(at(0), 1, 3000);
      expect(k0!.dedupKey).toBe('k0');
      // k0 (u1) failed and is to be retried later: u1's k2 waits behind it; u2's k1 and the batch do not.
      await ctx.db.outbox.reschedule(k0!.id, {
        at: at(1000),
        errcode: -1,
        reason: 'busy',
        countAttempt: true,
      });
      expect((await ctx.db.outbox.claimDue(at(0), 10, 3000)).map((i) => i.dedupKey)).toEqual(['k1', 'batch']);
      expect(await ctx.db.outbox.claimDue(at(999), 10, 3000)).toEqual([]);
      // Once k0 is due again, k2 comes after it.
      expect((await ctx.db.outbox.claimDue(at(1000), 10, 3000)).map((i) => i.dedupKey)).toEqual(['k0', 'k2']);
      // A reminder scheduled for tomorrow does not hold back a reply written after it.
      await add(ctx.db, { dedupKey: 'later', toUser: 'u3', message: text('r'), notBefore: at(86_400_000) });
      await add(ctx.db, { dedupKey: 'reply', toUser: 'u3', message: text('now') });
      expect((await ctx.db.outbox.claimDue(at(2000), 10, 3000)).map((i) => i.dedupKey)).toEqual(['reply']);
    });

    it('markSent records the time and a long WeCom msgid; a sent item is not claimed again', async () => {
      await addMany(ctx.db, 1);
      const [item] = await ctx.db.outbox.claimDue(at(0), 1, 1000);
      const msgid = `gHDDlTSFP_c5MN${'x9_-'.repeat(40)}`;
      await markOutboxSent(ctx.db, item!.id, { sentAt: at(500), wecomMsgId: msgid });
      expect(await ctx.reads.outboxItem(item!.id)).toMatchObject({
        status: 'sent',
        sentAt: at(500),
        wecomMsgId: msgid,
        attempts: 0,
      });
      expect(await ctx.db.outbox.claimDue(at(3_600_000), 10, 1000)).toEqual([]);
    });

    it('markFailed is final and keeps errcode and reason', async () => {
      await addMany(ctx.db, 1);
      const [item] = await ctx.db.outbox.claimDue(at(0), 1, 1000);
      await markOutboxFailed(ctx.db, item!.id, { errcode: 81013, reason: 'invaliduser 😀', at: at(200) });
      expect(await ctx.reads.outboxItem(item!.id)).toMatchObject({
        status: 'failed',
        lastErrcode: 81013,
        lastError: 'invaliduser 😀',
        attempts: 1,
        sentAt: null,
      });
      expect(await ctx.db.outbox.claimDue(at(3_600_000), 10, 1000)).toEqual([]);
    });

    it('reschedule moves the item and counts the attempt only when asked', async () => {
      await addMany(ctx.db, 1);
      const [item] = await ctx.db.outbox.claimDue(at(0), 1, 1000);
      await ctx.db.outbox.reschedule(item!.id, {
        at: at(5_000),
        errcode: 45009,
        reason: 'api freq out of limit',
        countAttempt: false,
      });
      expect(await ctx.reads.outboxItem(item!.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(5_000),
        lastErrcode: 45009,
      });
      await ctx.db.outbox.reschedule(item!.id, {
        at: at(9_000),
        errcode: null,
        reason: 'timeout',
        countAttempt: true,
      });
      expect(await ctx.reads.outboxItem(item!.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: at(9_000),
        lastErrcode: null,
        lastError: 'timeout',
      });
      expect(await ctx.db.outbox.claimDue(at(8_999), 10, 1000)).toEqual([]);
      expect(await ctx.db.outbox.claimDue(at(9_000), 10, 1000)).toHaveLength(1);
    });

    it('a reschedule fenced by the lease time changes nothing once another claimer holds the item', async () => {
      await addMany(ctx.db, 1);
      const [mine] = await ctx.db.outbox.claimDue(at(0), 1, 1000);
      // This holder stalled past its lease; another claimer takes the item (lease until 3000).
      const [theirs] = await ctx.db.outbox.claimDue(at(2000), 1, 1000);
      expect(theirs!.id).toBe(mine!.id);
      const busy = { errcode: -1, reason: 'busy', countAttempt: true };
      await ctx.db.outbox.reschedule(mine!.id, { at: at(2500), ...busy, heldUntil: mine!.nextAttemptAt });
      expect(await ctx.reads.outboxItem(mine!.id)).toMatchObject({ attempts: 0, nextAttemptAt: at(3000) });
      // The current holder's own reschedule goes through.
      await ctx.db.outbox.reschedule(mine!.id, { at: at(4000), ...busy, heldUntil: theirs!.nextAttemptAt });
      expect(await ctx.reads.outboxItem(mine!.id)).toMatchObject({ attempts: 1, nextAttemptAt: at(4000) });
    });

    it('a final failure fenced by the lease time is ignored once another claimer holds the item; the holder’s applies', async () => {
      await addMany(ctx.db, 1);
      const [mine] = await ctx.db.outbox.claimDue(at(0), 1, 1000);
      // This holder stalled past its lease; another claimer takes the item (lease until 3000).
      const [theirs] = await ctx.db.outbox.claimDue(at(2000), 1, 1000);
      expect(theirs!.id).toBe(mine!.id);
      const stale = { errcode: 40001, reason: 'stale verdict', heldUntil: mine!.nextAttemptAt };
      // While the other holds it, and after the other put it back for a retry: the stale failure changes nothing.
      await markOutboxFailed(ctx.db, mine!.id, { ...stale, at: at(2100) });
      expect(await ctx.reads.outboxItem(mine!.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(3000),
      });
      await ctx.db.outbox.reschedule(theirs!.id, {
        at: at(4000),
        errcode: -1,
        reason: 'busy',
        countAttempt: true,
        heldUntil: theirs!.nextAttemptAt,
      });
      await markOutboxFailed(ctx.db, mine!.id, { ...stale, at: at(2200) });
      expect(await ctx.reads.outboxItem(mine!.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: at(4000),
        lastErrcode: -1,
        lastError: 'busy',
      });
      // The current holder's own final failure goes through.
      const [again] = await ctx.db.outbox.claimDue(at(4000), 1, 1000);
      expect(again!.id).toBe(mine!.id);
      await markOutboxFailed(ctx.db, again!.id, {
        errcode: 81013,
        reason: 'invaliduser',
        at: at(4100),
        heldUntil: again!.nextAttemptAt,
      });
      expect(await ctx.reads.outboxItem(again!.id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        lastErrcode: 81013,
        lastError: 'invaliduser',
      });
      expect(await ctx.db.outbox.claimDue(at(3_600_000), 10, 1000)).toEqual([]);
    });

    it('listForUser pages one user’s items by id', async () => {
      await addMany(ctx.db, 4, 'alice');
      await add(ctx.db, { dedupKey: 'bob-1', toUser: 'bob', message: text('hi') });
      const all = await ctx.db.outbox.listForUser('alice', 0, 100);
      expect(all.map((i) => i.message)).toEqual([text('m0'), text('m1'), text('m2'), text('m3')]);
      const page = await ctx.db.outbox.listForUser('alice', all[1]!.id, 1);
      expect(page.map((i) => i.id)).toEqual([all[2]!.id]);
      expect(await ctx.db.outbox.listForUser('alice', all[3]!.id, 10)).toEqual([]);
      expect((await ctx.db.outbox.listForUser('bob', 0, 10)).map((i) => i.dedupKey)).toEqual(['bob-1']);
    });

    it('counts every status, zero included', async () => {
      expect(await ctx.db.outbox.countByStatus()).toEqual({ pending: 0, sent: 0, failed: 0 });
      await addMany(ctx.db, 3);
      const [a, b] = await ctx.db.outbox.claimDue(at(0), 2, 1000);
      await markOutboxSent(ctx.db, a!.id, { sentAt: at(1), wecomMsgId: null });
      await markOutboxFailed(ctx.db, b!.id, { errcode: null, reason: 'x', at: at(1) });
      expect(await ctx.db.outbox.countByStatus()).toEqual({ pending: 1, sent: 1, failed: 1 });
    });
  });
}
