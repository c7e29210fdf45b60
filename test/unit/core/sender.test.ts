import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomAppChannel, type MessageSender } from '../../../src/channels/wecomApp/index.js';
import type { Channel, DeliveryOutcome } from '../../../src/core/channel.js';
import type { DeliveryReport } from '../../../src/core/feature.js';
import type { Database, KeyValueStore, NewOutboxMessage, OutboxItem } from '../../../src/core/ports.js';
import { createSender } from '../../../src/core/sender.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { WecomApiError, WecomTransportError } from '../../../src/wecom/errors.js';
import { testSqlite } from '../../support/testDatabase.js';

/**
 * The outbox sender in-process: an in-memory SQLite outbox, an in-process key-value store and a clock moved by hand.
 * The evidence is the outbox rows and the calls the channel (or the WeCom API behind it) received.
 */

const T0 = new Date('2026-11-02T01:00:00Z'); // on a minute boundary, as pacing counts per calendar minute
const at = (ms: number) => new Date(T0.getTime() + ms);
const silent = pino({ level: 'silent' });

let db: Database;
let kv: KeyValueStore;
let now: Date;
const clock = { now: () => now };
let seq = 0;

beforeEach(() => {
  db = testSqlite(':memory:');
  now = T0;
  kv = createMemoryKeyValueStore(clock);
});
afterEach(() => db.close());

/** Queues a text for `toUser` (or a batch labelled `toUser`) and returns its outbox id. */
async function queue(toUser: string, extra: Partial<NewOutboxMessage> = {}): Promise<number> {
  seq += 1;
  const dedupKey = `t:${seq}`;
  const message = { msgtype: 'text' as const, text: { content: `消息${seq}` } };
  await db.commit([{ type: 'outbox.add', at: now, message: { dedupKey, toUser, message, ...extra } }]);
  const found = (await db.outbox.listForUser(toUser, 0, 1000)).find((i) => i.dedupKey === dedupKey);
  if (!found) throw new Error(`queued ${dedupKey} not found`);
  return found.id;
}

async function row(id: number): Promise<OutboxItem> {
  const item = await db.outbox.get(id);
  if (!item) throw new Error(`no outbox row ${id}`);
  return item;
}

/** A channel answering from a script (the last outcome repeats), recording whom it was asked to deliver to. */
function scriptedChannel(script: (DeliveryOutcome | Error)[], id = 'wecom-app') {
  const calls: string[] = [];
  const channel: Channel = {
    id,
    strangers: 'refuse',
    decode: () => ({ actorId: 'x', input: null }),
    async deliver(item) {
      calls.push(item.toUser);
      const next = script.length > 1 ? script.shift() : script[0];
      if (next instanceof Error) throw next;
      if (!next) throw new Error('empty script');
      return next;
    },
  };
  return { channel, calls };
}

function senderOver(channels: Channel[], over: { maxAttempts?: number } = {}) {
  return createSender({
    db,
    kv,
    channels: new Map(channels.map((c) => [c.id, c])),
    clock,
    logger: silent,
    retryBaseMs: 1000,
    ...over,
  });
}

const delivered = (to: string): DeliveryOutcome => ({
  kind: 'delivered',
  msgId: 'm1',
  delivered: [to],
  failed: [],
});
const apiError = (errcode: number) =>
  new WecomApiError({ path: 'message/send', errcode, errmsg: `e${errcode}` });

/** The WeCom API as the app channel sees it: each call answered by `answer`, every call recorded. */
function fakeApi(
  answer: (n: number) => Awaited<ReturnType<MessageSender['sendMessage']>> | Error = () => ok,
  updateAnswer: () => Error | null = () => null,
) {
  const sends: { touser: string[]; content: unknown }[] = [];
  const updates: string[] = [];
  const api: MessageSender = {
    async sendMessage(input) {
      sends.push({ touser: input.touser, content: input.message });
      const result = answer(sends.length);
      if (result instanceof Error) throw result;
      return result;
    },
    async updateTemplateCard(input) {
      updates.push(input.responseCode);
      const err = updateAnswer();
      if (err) throw err;
    },
  };
  return { api, sends, updates };
}
const ok = { msgId: 'wm1', invalidUsers: [], unlicensedUsers: [] };

/** The real WeCom app channel over a fake API; delivery reports are kept for the per-recipient evidence. */
function wecomSender(api: MessageSender, over: { maxAttempts?: number } = {}) {
  const reports: DeliveryReport[] = [];
  const channel = createWecomAppChannel({
    api,
    kv,
    logger: silent,
    credentials: { corpId: 'corp', encodingAesKey: 'a'.repeat(43) },
  });
  const sender = createSender({
    db,
    kv,
    channels: new Map([[channel.id, channel]]),
    onDelivery: (r) => (reports.push(r), []),
    clock,
    logger: silent,
    retryBaseMs: 1000,
    ...over,
  });
  return { sender, reports };
}

/** Runs passes until one claims nothing it can send (bounded). */
async function drain(sender: { runOnce(): Promise<number> }): Promise<void> {
  for (let i = 0; i < 20 && (await sender.runOnce()) > 0; i += 1);
}

describe('the sender over a scripted channel', () => {
  it('backs off exponentially on transient failures, counting attempts, and fails for good after maxAttempts', async () => {
    const { channel, calls } = scriptedChannel([{ kind: 'retry', errcode: -1, reason: 'busy' }]);
    const sender = senderOver([channel], { maxAttempts: 3 });
    const id = await queue('a');
    await sender.runOnce();
    let item = await row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1, lastError: 'busy' });
    // base 1000 ms, ±20 % jitter
    expect(item.nextAttemptAt.getTime() - T0.getTime()).toBeGreaterThanOrEqual(800);
    expect(item.nextAttemptAt.getTime() - T0.getTime()).toBeLessThanOrEqual(1200);
    await sender.runOnce(); // not due yet
    expect(calls).toHaveLength(1);

    now = item.nextAttemptAt;
    await sender.runOnce();
    item = await row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 2 });
    expect(item.nextAttemptAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(1600);
    expect(item.nextAttemptAt.getTime() - now.getTime()).toBeLessThanOrEqual(2400);

    now = item.nextAttemptAt;
    await sender.runOnce();
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastErrcode: -1,
      lastError: 'busy',
    });
    now = at(3_600_000);
    await sender.runOnce();
    expect(calls).toHaveLength(3);
  });

  it('treats a channel that throws as transient: the message waits for a retry', async () => {
    const { channel } = scriptedChannel([new Error('store hiccup'), delivered('a')]);
    const sender = senderOver([channel]);
    const id = await queue('a');
    await sender.runOnce();
    const item = await row(id);
    expect(item).toMatchObject({ status: 'pending', attempts: 1, lastError: 'store hiccup' });
    now = item.nextAttemptAt;
    await sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'sent', wecomMsgId: 'm1', sentAt: now });
  });

  it('fails a row whose channel this sender does not have, with the reason, without delivering it', async () => {
    const { channel, calls } = scriptedChannel([delivered('a')], 'wecom-kf');
    const id = await queue('a');
    await senderOver([channel]).runOnce();
    expect(await row(id)).toMatchObject({
      status: 'failed',
      lastErrcode: null,
      lastError: 'no channel wecom-app',
    });
    expect(calls).toEqual([]);
  });

  // The stores drop NewOutboxMessage.channel (the outbox has no channel column; every row reads back as
  // 'wecom-app'), so a row meant for another channel is delivered by the WeCom app. Known gap, reported.
  it.fails('keeps the channel an outbox row names', async () => {
    const { channel, calls } = scriptedChannel([delivered('a')]);
    const id = await queue('a', { channel: 'wecom-kf' });
    await senderOver([channel]).runOnce();
    expect(calls).toEqual([]);
    expect(await row(id)).toMatchObject({ status: 'failed', lastError: 'no channel wecom-kf' });
  });

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
    const ids = [await queue('a'), await queue('b'), await queue('c')];
    const sender = senderOver([channel]);
    sender.start();
    await inside;
    const stopped = sender.stop();
    release();
    await stopped;
    expect(calls).toEqual(['a']);
    expect(await row(ids[0] ?? 0)).toMatchObject({ status: 'sent' });
    for (const id of ids.slice(1))
      // Due at once (not at the end of the lease), and the hand-back is no attempt.
      expect(await row(id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: T0,
        lastError: 'shutdown',
      });
  });
});

describe('the sender over the WeCom app channel', () => {
  it('paces a member to 30 messages a minute: the 31st waits for the next minute, not as an attempt', async () => {
    const { api, sends } = fakeApi();
    const { sender } = wecomSender(api);
    const ids: number[] = [];
    for (let i = 0; i < 31; i += 1) ids.push(await queue('a'));
    const other = await queue('b');
    await drain(sender);
    expect(sends.filter((s) => s.touser[0] === 'a')).toHaveLength(30);
    expect(await row(other)).toMatchObject({ status: 'sent' });
    const last = ids[30] ?? 0;
    expect(await row(last)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(60_000) });
    now = at(59_999);
    await drain(sender);
    expect(await row(last)).toMatchObject({ status: 'pending' });
    now = at(60_000);
    await drain(sender);
    expect(await row(last)).toMatchObject({ status: 'sent', attempts: 0 });
    expect(sends).toHaveLength(32);
  });

  it('retries -1 and transport errors with backoff, then fails for good after maxAttempts', async () => {
    const errors = [apiError(-1), new WecomTransportError({ path: 'message/send', kind: 'timeout' })];
    const { api, sends } = fakeApi((n) => errors[(n - 1) % 2] ?? ok);
    const { sender, reports } = wecomSender(api, { maxAttempts: 3 });
    const id = await queue('a');
    await sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1 });
    now = (await row(id)).nextAttemptAt;
    await sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 2, lastErrcode: null });
    expect((await row(id)).lastError).toContain('timeout');
    now = (await row(id)).nextAttemptAt;
    await sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3, lastErrcode: -1 });
    expect(sends).toHaveLength(3);
    expect(reports.map((r) => r.failed)).toEqual([
      [{ userIds: ['a'], error: expect.stringMatching(/^-1: /) }],
    ]);
  });

  it.each([45009, 45033])(
    'pauses the whole channel on %i: nobody is sent to until the pause ends',
    async (code) => {
      const { api, sends } = fakeApi((n) => (n === 1 ? apiError(code) : ok));
      const { sender } = wecomSender(api);
      const a = await queue('a');
      const b = await queue('b');
      await sender.runOnce();
      expect(sends.map((s) => s.touser)).toEqual([['a']]);
      now = at(30_000);
      const c = await queue('c');
      await drain(sender);
      expect(sends).toHaveLength(1);
      for (const id of [a, b, c])
        expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(60_000) });
      now = at(60_000);
      await drain(sender);
      expect(sends.map((s) => s.touser[0]).sort()).toEqual(['a', 'a', 'b', 'c']);
      expect(await db.outbox.countByStatus()).toEqual({ pending: 0, sent: 3, failed: 0 });
    },
  );

  it('fails for good, once, on 81013 (invaliduser) and on other errors with errcode and reason', async () => {
    const { api, sends } = fakeApi((n) => apiError(n === 1 ? 81013 : 40003));
    const { sender, reports } = wecomSender(api);
    const invalid = await queue('ghost');
    const refused = await queue('a');
    await drain(sender);
    now = at(3_600_000);
    await drain(sender);
    expect(sends).toHaveLength(2);
    expect(await row(invalid)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastErrcode: 81013,
      lastError: 'invaliduser',
    });
    expect(await row(refused)).toMatchObject({ status: 'failed', attempts: 1, lastErrcode: 40003 });
    expect((await row(refused)).lastError).toContain('40003');
    expect(reports.map((r) => r.failed[0]?.error)).toEqual([
      'invaliduser',
      expect.stringMatching(/^40003: /),
    ]);
  });

  it('records recipients WeCom names invalid or unlicensed; the rest are delivered', async () => {
    const { api } = fakeApi(() => ({ msgId: 'wm2', invalidUsers: ['B'], unlicensedUsers: ['c'] }));
    const { sender, reports } = wecomSender(api);
    const id = await queue('@batch:1', { recipients: ['a', 'b', 'c'] });
    await sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'sent', wecomMsgId: 'wm2' });
    expect(reports).toMatchObject([
      {
        delivered: ['a'],
        failed: [
          { userIds: ['b'], error: 'invaliduser' },
          { userIds: ['c'], error: 'unlicenseduser' },
        ],
      },
    ]);
  });

  it('fails a message none of whose recipients WeCom could deliver to', async () => {
    const { api } = fakeApi(() => ({ msgId: 'wm3', invalidUsers: ['a', 'b'], unlicensedUsers: [] }));
    const id = await queue('@batch:2', { recipients: ['a', 'b'] });
    await wecomSender(api).sender.runOnce();
    expect(await row(id)).toMatchObject({ status: 'failed', lastErrcode: 0, lastError: 'invaliduser' });
  });

  it('updates the tapped card, or sends the text when WeCom refuses the update; retries a busy update', async () => {
    const cardUpdate = { responseCode: 'rc1', replaceName: '已选择：参加' };
    const refused = fakeApi(undefined, () => apiError(40105));
    const id = await queue('a', { cardUpdate });
    await wecomSender(refused.api).sender.runOnce();
    expect(refused.updates).toEqual(['rc1']);
    expect(refused.sends).toMatchObject([{ touser: ['a'], content: { msgtype: 'text' } }]);
    expect(await row(id)).toMatchObject({ status: 'sent' });

    const busy = fakeApi(undefined, () => apiError(-1));
    const again = await queue('b', { cardUpdate });
    await wecomSender(busy.api).sender.runOnce();
    expect(busy.sends).toEqual([]);
    expect(await row(again)).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1 });
  });
});
