import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, DeliveryOutcome } from '../../../src/core/channel.js';
import { outboxHarness, type OutboxHarness } from '../../support/outboxHarness.js';

/**
 * The outbox sender in-process over a channel that answers from a script: an in-memory SQLite outbox, the
 * in-process key-value store and a clock moved by hand. The evidence is the outbox rows and the channel's calls.
 * The WeCom app channel behind the same sender: test/unit/channels/wecomAppDelivery.test.ts.
 */

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let h: OutboxHarness;
beforeEach(() => {
  h = outboxHarness(T0);
});
afterEach(() => h.db.close());

/** A channel answering from a script (the last outcome repeats), recording whom it was asked to deliver to. */
function scriptedChannel(script: (DeliveryOutcome | Error)[], id = 'wecom-app') {
  const calls: string[] = [];
  const ids: number[] = [];
  const channel: Channel = {
    id,
    strangers: 'refuse',
    decode: () => ({ actorId: 'x', input: null }),
    async deliver(item) {
      calls.push(item.toUser);
      ids.push(item.id);
      const next = script.length > 1 ? script.shift() : script[0];
      if (next instanceof Error) throw next;
      if (!next) throw new Error('empty script');
      return next;
    },
  };
  return { channel, calls, ids };
}

const delivered = (to: string): DeliveryOutcome => ({
  kind: 'delivered',
  msgId: 'm1',
  delivered: [to],
  failed: [],
});

describe('the sender over a scripted channel', () => {
  it('backs off exponentially on transient failures, counting attempts, and fails for good after maxAttempts', async () => {
    const { channel, calls } = scriptedChannel([{ kind: 'retry', errcode: -1, reason: 'busy' }]);
    const sender = h.senderOver([channel], { maxAttempts: 3 });
    const id = await h.queue('a');
    await sender.runOnce();
    let item = await h.row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1, lastError: 'busy' });
    // base 1000 ms, ±20 % jitter
    expect(item.nextAttemptAt.getTime() - T0.getTime()).toSatisfy((ms: number) => ms >= 800 && ms <= 1200);
    await sender.runOnce(); // not due yet
    expect(calls).toHaveLength(1);

    h.now = item.nextAttemptAt;
    await sender.runOnce();
    item = await h.row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 2 });
    expect(item.nextAttemptAt.getTime() - h.now.getTime()).toSatisfy(
      (ms: number) => ms >= 1600 && ms <= 2400,
    );

    h.now = item.nextAttemptAt;
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastErrcode: -1,
      lastError: 'busy',
    });
    h.now = at(3_600_000);
    await sender.runOnce();
    expect(calls).toHaveLength(3);
  });

  it("keeps a member's messages in order: one to be retried holds back the later ones, which go after it", async () => {
    const { channel, ids } = scriptedChannel([
      { kind: 'retry', errcode: -1, reason: 'busy' },
      delivered('b'),
      delivered('a'),
    ]);
    const sender = h.senderOver([channel]);
    const first = await h.queue('a');
    const second = await h.queue('a');
    const other = await h.queue('b');
    await sender.runOnce();
    // a's first is to be retried; a's second is not sent before it (handed back, no attempt); b is not held back.
    expect(ids).toEqual([first, other]);
    expect(await h.row(second)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await h.row(other)).toMatchObject({ status: 'sent' });
    await sender.runOnce(); // a's first is not due yet, so neither is its second
    expect(ids).toEqual([first, other]);

    h.now = (await h.row(first)).nextAttemptAt;
    await sender.runOnce();
    expect(ids).toEqual([first, other, first, second]);
    expect([(await h.row(first)).status, (await h.row(second)).status]).toEqual(['sent', 'sent']);
  });

  it('treats a channel that throws as transient: the message waits for a retry', async () => {
    const { channel } = scriptedChannel([new Error('store hiccup'), delivered('a')]);
    const sender = h.senderOver([channel]);
    const id = await h.queue('a');
    await sender.runOnce();
    const item = await h.row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 1, lastError: 'store hiccup' });
    h.now = item.nextAttemptAt;
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'sent', wecomMsgId: 'm1', sentAt: h.now });
  });

  it('fails a row whose channel this sender does not have, with the reason, without delivering it', async () => {
    const { channel, calls } = scriptedChannel([delivered('a')], 'wecom-kf');
    const id = await h.queue('a');
    await h.senderOver([channel]).runOnce();
    expect(await h.row(id)).toMatchObject({
      status: 'failed',
      lastErrcode: null,
      lastError: 'no channel wecom-app',
    });
    expect(calls).toEqual([]);
  });

  // The row keeps its channel (outbox.channel): one meant for a channel this sender lacks is never sent by another.
  it('keeps the channel an outbox row names', async () => {
    const { channel, calls } = scriptedChannel([delivered('a')]);
    const id = await h.queue('a', { channel: 'wecom-kf' });
    await h.senderOver([channel]).runOnce();
    expect(calls).toEqual([]);
    expect(await h.row(id)).toMatchObject({ status: 'failed', lastError: 'no channel wecom-kf' });
  });

  it('renews its lease while a slow delivery runs, so another sender never takes the items it holds', async () => {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const slow: Channel = {
      ...scriptedChannel([]).channel,
      async deliver(item) {
        calls.push(item.toUser);
        entered();
        await gate;
        return delivered(item.toUser);
      },
    };
    const [a, b] = [await h.queue('a'), await h.queue('b')];
    const pass = h.senderOver([slow], { leaseMs: 300 }).runOnce();
    await inside;
    // Well past the claim's own lease (T0 + 300 ms): only the renewals keep the items held.
    h.now = at(60_000);
    while ((await h.row(b)).nextAttemptAt <= h.now) await new Promise((r) => setTimeout(r, 20));
    const other = scriptedChannel([delivered('x')]);
    expect(await h.senderOver([other.channel], { leaseMs: 300 }).runOnce()).toBe(0);
    expect(other.calls).toEqual([]);
    release();
    expect(await pass).toBe(2);
    expect(calls).toEqual(['a', 'b']);
    for (const id of [a, b]) expect(await h.row(id)).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it("leaves a dead sender's claim due again after one lease, not after the time its sends could take", async () => {
    const id = await h.queue('a');
    // A sender claims and dies without renewing (SIGKILL).
    expect(await h.db.outbox.claimDue(h.now, 5, 300)).toHaveLength(1);
    const { channel, calls } = scriptedChannel([delivered('a')]);
    const sender = h.senderOver([channel], { leaseMs: 300 });
    h.now = at(299);
    expect(await sender.runOnce()).toBe(0);
    h.now = at(300);
    expect(await sender.runOnce()).toBe(1);
    expect(calls).toEqual(['a']);
    expect(await h.row(id)).toMatchObject({ status: 'sent' });
  });

  it('sends nothing more, and moves no lease, once another sender took its items after it stalled (fencing)', async () => {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    let first = true;
    const stalling: Channel = {
      ...scriptedChannel([]).channel,
      async deliver(item) {
        calls.push(item.toUser);
        if (first) {
          first = false;
          entered();
          await gate;
          // The answer WeCom gives the stalled send: busy, retry later.
          return { kind: 'retry', errcode: -1, reason: 'busy' };
        }
        return delivered(item.toUser);
      },
    };
    // One member's three messages: one lane, sent one after another. A long lease, so the heartbeat (every 10 s of
    // real time) stays silent while the test runs: the stall is the clock jumping past the lease, as when the
    // process's event loop stood still.
    const ids = [await h.queue('a'), await h.queue('a'), await h.queue('a')];
    const stalled = h.senderOver([stalling], { leaseMs: 30_000 }).runOnce();
    await inside;
    h.now = at(31_000);
    const other = scriptedChannel([delivered('a')]);
    // The other sender holds the second and third items (its lease until 61 s): it has claimed them and, say, not
    // sent them yet.
    const taken = await h.db.outbox.claimDue(h.now, 5, 30_000);
    expect(taken.map((i) => i.id)).toEqual(ids);
    release();
    await stalled;
    // The stalled sender's retry of the first item did not move the other's lease, and it sent nothing more.
    expect(calls).toEqual(['a']);
    for (const id of ids)
      expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(61_000) });
    // When the other's lease ends, one sender sends each item once.
    h.now = at(61_000);
    expect(await h.senderOver([other.channel]).runOnce()).toBe(3);
    expect(other.calls).toEqual(['a', 'a', 'a']);
  });

  it.each<[string, DeliveryOutcome]>([
    ['a final failure', { kind: 'failed', errcode: 81013, reason: 'invaliduser' }],
    [
      'a delivery to nobody',
      { kind: 'delivered', msgId: null, delivered: [], failed: [{ userIds: ['a'], error: 'invaliduser' }] },
    ],
  ])(
    'does not record %s, nor its per-recipient outcomes, for an item another sender took over after it stalled (fencing)',
    async (_, verdict) => {
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const gate = new Promise<void>((r) => (release = r));
      const stalling: Channel = {
        ...scriptedChannel([]).channel,
        async deliver() {
          entered();
          await gate;
          // The answer the stalled send gets, long after its lease ended: final.
          return verdict;
        },
      };
      const id = await h.queue('a');
      // A long lease, so the heartbeat stays silent: the stall is the clock jumping past the lease.
      const stalledSender = h.senderOver([stalling], { leaseMs: 30_000 });
      const stalled = stalledSender.runOnce();
      await inside;
      // The other sender claims the item (its lease until 61 s), WeCom is busy: it puts the item back for a retry.
      h.now = at(31_000);
      const other = scriptedChannel([{ kind: 'retry', errcode: -1, reason: 'busy' }, delivered('a')]);
      const otherSender = h.senderOver([other.channel], { leaseMs: 30_000, random: () => 0.5 });
      expect(await otherSender.runOnce()).toBe(0);
      expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(32_000) });
      release();
      await stalled;
      // The stalled sender's verdict did not land, not even in the features' per-recipient outcomes (a notice's
      // deliveries): the item is still the other's to retry.
      expect(stalledSender.reports).toEqual([]);
      expect(await h.row(id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: at(32_000),
        lastErrcode: -1,
        lastError: 'busy',
      });
      h.now = at(32_000);
      expect(await otherSender.runOnce()).toBe(1);
      expect(await h.row(id)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(other.calls).toEqual(['a', 'a']);
    },
  );

  it('hands back the items it claimed but has not begun when stopped mid-pass', async () => {
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const channel: Channel = {
      ...scriptedChannel([]).channel,
      async deliver(item) {
        calls.push(item.toUser);
        entered();
        await gate;
        return delivered(item.toUser);
      },
    };
    // One member's messages are sent one after another (different members' side by side).
    const ids = [await h.queue('a'), await h.queue('a'), await h.queue('a')];
    const sender = h.senderOver([channel]);
    sender.start();
    await inside;
    const stopped = sender.stop();
    release();
    await stopped;
    expect(calls).toEqual(['a']);
    expect(await h.row(ids[0] ?? 0)).toMatchObject({ status: 'sent' });
    for (const id of ids.slice(1))
      // Due at once (not at the end of the lease), and the hand-back is no attempt.
      expect(await h.row(id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        lastError: 'shutdown',
      });
  });
});
