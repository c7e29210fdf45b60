import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomAppChannel, type MessageSender } from '../../../src/channels/wecomApp/index.js';
import { WecomApiError, WecomTransportError } from '../../../src/wecom/errors.js';
import { outboxHarness, type OutboxHarness } from '../../support/outboxHarness.js';

/**
 * The WeCom app channel delivering through the core sender, its API faked: pacing, WeCom's error codes, partial
 * deliveries and card updates, with the outbox rows and the API calls as evidence. A clock moved by hand.
 */

const T0 = new Date('2026-11-02T01:00:00Z'); // on a minute boundary, as pacing counts per calendar minute
const at = (ms: number) => new Date(T0.getTime() + ms);

let h: OutboxHarness;
beforeEach(() => {
  h = outboxHarness(T0);
});
afterEach(() => h.db.close());

const apiError = (errcode: number) =>
  new WecomApiError({ path: 'message/send', errcode, errmsg: `e${errcode}` });
const ok = { msgId: 'wm1', invalidUsers: [], unlicensedUsers: [] };

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

/** The sender over the real WeCom app channel, over a fake API. */
const wecomSender = (api: MessageSender, over: { maxAttempts?: number } = {}) =>
  h.senderOver(
    [
      createWecomAppChannel({
        api,
        kv: h.kv,
        logger: pino({ level: 'silent' }),
        credentials: { corpId: 'c', encodingAesKey: 'a'.repeat(43) },
      }),
    ],
    over,
  );

/** Runs passes until one sends nothing (bounded). */
async function drain(sender: { runOnce(): Promise<number> }): Promise<void> {
  for (let i = 0; i < 20 && (await sender.runOnce()) > 0; i += 1);
}

describe('the sender over the WeCom app channel', () => {
  it('paces a member to 30 messages a minute: the 31st waits for the next minute, not as an attempt', async () => {
    const { api, sends } = fakeApi();
    const sender = wecomSender(api);
    const ids: number[] = [];
    for (let i = 0; i < 31; i += 1) ids.push(await h.queue('a'));
    const other = await h.queue('b');
    await drain(sender);
    expect(sends.filter((s) => s.touser[0] === 'a')).toHaveLength(30);
    expect(await h.row(other)).toMatchObject({ status: 'sent' });
    const last = ids[30] ?? 0;
    expect(await h.row(last)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(60_000) });
    h.now = at(59_999);
    await drain(sender);
    expect(await h.row(last)).toMatchObject({ status: 'pending' });
    h.now = at(60_000);
    await drain(sender);
    expect(await h.row(last)).toMatchObject({ status: 'sent', attempts: 0 });
    expect(sends).toHaveLength(32);
  });

  it('retries -1 and transport errors with backoff, then fails for good after maxAttempts', async () => {
    const errors = [apiError(-1), new WecomTransportError({ path: 'message/send', kind: 'timeout' })];
    const { api, sends } = fakeApi((n) => errors[(n - 1) % 2] ?? ok);
    const sender = wecomSender(api, { maxAttempts: 3 });
    const id = await h.queue('a');
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1 });
    h.now = (await h.row(id)).nextAttemptAt;
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 2, lastErrcode: null });
    expect((await h.row(id)).lastError).toContain('timeout');
    h.now = (await h.row(id)).nextAttemptAt;
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'failed', attempts: 3, lastErrcode: -1 });
    expect(sends).toHaveLength(3);
    expect(sender.reports.map((r) => r.failed)).toEqual([
      [{ userIds: ['a'], error: expect.stringMatching(/^-1: /) }],
    ]);
  });

  it.each([45009, 45033])(
    'pauses the whole channel on %i: nobody is sent to until the pause ends',
    async (code) => {
      const { api, sends } = fakeApi((n) => (n === 1 ? apiError(code) : ok));
      const sender = wecomSender(api);
      const a = await h.queue('a');
      const b = await h.queue('b');
      await sender.runOnce();
      expect(sends.map((s) => s.touser)).toEqual([['a']]);
      h.now = at(30_000);
      const c = await h.queue('c');
      await drain(sender);
      expect(sends).toHaveLength(1);
      for (const id of [a, b, c])
        expect(await h.row(id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(60_000) });
      h.now = at(60_000);
      await drain(sender);
      expect(sends.map((s) => s.touser[0]).sort()).toEqual(['a', 'a', 'b', 'c']);
      expect(await h.db.outbox.countByStatus()).toEqual({ pending: 0, sent: 3, failed: 0 });
    },
  );

  it('fails for good, once, on 81013 (invaliduser) and on other errors with errcode and reason', async () => {
    const { api, sends } = fakeApi((n) => apiError(n === 1 ? 81013 : 40003));
    const sender = wecomSender(api);
    const invalid = await h.queue('ghost');
    const refused = await h.queue('a');
    await drain(sender);
    h.now = at(3_600_000);
    await drain(sender);
    expect(sends).toHaveLength(2);
    expect(await h.row(invalid)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastErrcode: 81013,
      lastError: 'invaliduser',
    });
    expect(await h.row(refused)).toMatchObject({ status: 'failed', attempts: 1, lastErrcode: 40003 });
    expect((await h.row(refused)).lastError).toContain('40003');
    expect(sender.reports.map((r) => r.failed[0]?.error)).toEqual([
      'invaliduser',
      expect.stringMatching(/^40003: /),
    ]);
  });

  it('records recipients WeCom names invalid or unlicensed; the rest are delivered', async () => {
    const { api } = fakeApi(() => ({ msgId: 'wm2', invalidUsers: ['B'], unlicensedUsers: ['c'] }));
    const sender = wecomSender(api);
    const id = await h.queue('@batch:1', { recipients: ['a', 'b', 'c'] });
    await sender.runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'sent', wecomMsgId: 'wm2' });
    expect(sender.reports).toMatchObject([
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
    const id = await h.queue('@batch:2', { recipients: ['a', 'b'] });
    await wecomSender(api).runOnce();
    expect(await h.row(id)).toMatchObject({ status: 'failed', lastErrcode: 0, lastError: 'invaliduser' });
  });

  it('updates the tapped card, or sends the text when WeCom refuses the update; retries a busy update', async () => {
    const cardUpdate = { responseCode: 'rc1', replaceName: '已选择：参加' };
    const refused = fakeApi(undefined, () => apiError(40105));
    const id = await h.queue('a', { cardUpdate });
    await wecomSender(refused.api).runOnce();
    expect(refused.updates).toEqual(['rc1']);
    expect(refused.sends).toMatchObject([{ touser: ['a'], content: { msgtype: 'text' } }]);
    expect(await h.row(id)).toMatchObject({ status: 'sent' });

    const busy = fakeApi(undefined, () => apiError(-1));
    const again = await h.queue('b', { cardUpdate });
    await wecomSender(busy.api).runOnce();
    expect(busy.sends).toEqual([]);
    expect(await h.row(again)).toMatchObject({ status: 'pending', attempts: 1, lastErrcode: -1 });
  });
});
