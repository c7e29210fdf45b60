import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWecomAppChannel } from '../../src/channels/wecomApp/index.js';
import type { OutboundMessage } from '../../src/wecom/outbound.js';
import { createWecomClient, type WecomClient } from '../../src/wecom/api/client.js';
import { createTokenProvider, type TokenCache } from '../../src/wecom/api/tokenProvider.js';
import { fetchTransport } from '../../src/wecom/api/transport.js';
import { createRedisKeyValueStore } from '../../src/store/redis/redisKeyValueStore.js';
import type { KeyValueStore } from '../../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { outboxHarness, type OutboxHarness } from '../support/outboxHarness.js';
import { deleteRedisKeys } from '../redisKeys.js';
import { CREDENTIALS } from './harness.js';

/**
 * WeCom API faults against the real client, app channel and sender, the fake WeCom API on loopback as the only
 * double (F9 5xx / -1 storms, F10 an applied send that times out, F11 token expiry across processes, F12 invalid and
 * unlicensed recipients). The outbox is an in-memory SQLite on a clock the test moves, so backoffs pass at once.
 * Evidence: the fake's deliveries per userid and raw request bodies, the outbox rows, and the sender's per-recipient
 * reports (what the notice report is made of).
 */

const T0 = new Date('2026-11-02T02:00:00Z');
const logger = pino({ level: 'silent' });

let fake: FakeWecomApi;
let h: OutboxHarness;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await h.db.close();
  await fake.close();
});

async function setUp(timeoutMs = 2000): Promise<{ client: WecomClient }> {
  fake = await startFakeWecomApi({
    corpId: CREDENTIALS.corpId,
    secret: CREDENTIALS.secret,
    agentId: CREDENTIALS.agentId,
    now: () => h.now.getTime(),
  });
  h = outboxHarness(T0);
  return { client: clientOver(h.kv, timeoutMs) };
}

function clientOver(cache: TokenCache, timeoutMs = 2000): WecomClient {
  return createWecomClient({
    apiBase: fake.url,
    agentId: CREDENTIALS.agentId,
    transport: fetchTransport,
    timeoutMs,
    tokens: createTokenProvider({
      apiBase: fake.url,
      corpId: CREDENTIALS.corpId,
      secret: CREDENTIALS.secret,
      agentId: CREDENTIALS.agentId,
      transport: fetchTransport,
      cache,
      clock: h.clock,
    }),
  });
}

const senderFor = (client: WecomClient, seed = 1) =>
  h.senderOver(
    [
      createWecomAppChannel({
        api: client,
        kv: h.kv,
        logger,
        credentials: { corpId: CREDENTIALS.corpId, encodingAesKey: CREDENTIALS.encodingAesKey },
      }),
    ],
    { random: seeded(seed) },
  );

/** The backoff's jitter, seeded (mulberry32), so a run's timeline is the same every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const card = (taskId: string): OutboundMessage => ({
  msgtype: 'template_card',
  template_card: {
    card_type: 'button_interaction',
    task_id: taskId,
    main_title: { title: '城区停车难专题协商会' },
    button_list: [
      { text: '参加', key: 'attend' },
      { text: '请假', key: 'leave' },
    ],
  },
});

/** Runs the sender, moving the clock a second on whenever a pass sends nothing, until the outbox is empty. */
async function drain(sender: { runOnce(): Promise<number> }): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await h.db.outbox.countByStatus()).pending === 0) return;
    if ((await sender.runOnce()) === 0) h.now = new Date(h.now.getTime() + 1000);
  }
  throw new Error('outbox did not drain');
}

/** Each userid's outcomes over all the sender's reports: exactly one each is the terminal-state rule. */
function outcomes(reports: ReturnType<typeof senderFor>['reports']): Map<string, string[]> {
  const by = new Map<string, string[]>();
  const add = (u: string, what: string) => by.set(u, [...(by.get(u) ?? []), what]);
  for (const r of reports) {
    for (const u of r.delivered) add(u, 'delivered');
    for (const f of r.failed) for (const u of f.userIds) add(u, `failed(${f.error})`);
  }
  return by;
}

describe('F9 HTTP 500 and errcode -1 on 20% of calls (seeded)', () => {
  it('retries with backoff at most three times; each of 500 recipients ends delivered or failed(system_busy), once', async () => {
    const { client } = await setUp();
    fake.randomFaults('message/send', {
      rate: 0.2,
      seed: 3,
      faults: [{ httpStatus: 500 }, { errcode: -1, errmsg: 'system busy' }],
    });
    // A campaign of 500 members in 100 batches of 5 (each its own card: its own task_id).
    const users = Array.from({ length: 500 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    for (let b = 0; b < 100; b++)
      await h.queue(`@campaign:${b}`, { recipients: users.slice(b * 5, b * 5 + 5), message: card(`c-${b}`) });
    const sender = senderFor(client, 3);
    await drain(sender);

    // Never more than 1 call + 3 retries for a batch.
    const callsPerBatch = new Map<string, number>();
    for (const c of fake.sendLog) callsPerBatch.set(c.touser, (callsPerBatch.get(c.touser) ?? 0) + 1);
    expect(callsPerBatch.size).toBe(100);
    expect(Math.max(...callsPerBatch.values())).toBeLessThanOrEqual(4);
    // The seed gives retries, and at least one batch whose four calls all failed.
    expect(fake.sendLog.length).toBeGreaterThan(100);
    const by = outcomes(sender.reports);
    expect([...by.keys()].sort()).toEqual(users);
    for (const [u, o] of by) {
      expect(o).toHaveLength(1);
      expect(['delivered', 'failed(system_busy)']).toContain(o[0]);
      // Delivered means delivered once; failed means never delivered.
      expect(fake.deliveriesTo(u)).toHaveLength(o[0] === 'delivered' ? 1 : 0);
    }
    const failed = [...by.values()].filter((o) => o[0] !== 'delivered').length;
    expect(failed).toBeGreaterThan(0);
    const rows = await h.db.outbox.countByStatus();
    expect(rows).toEqual({ pending: 0, sent: 100 - failed / 5, failed: failed / 5 });
    expect(fake.deliveries).toHaveLength(500 - failed);
  });
});

describe('F10 a send WeCom applied but answered after the client timeout', () => {
  it('is retried with byte-identical JSON and enable_duplicate_check, and WeCom delivers it once', async () => {
    const { client } = await setUp(300);
    fake.injectFaults('message/send', [{ hangMs: 1500, apply: true }]);
    const recipients = ['zhangsan', 'lisi', 'wangwu'];
    const id = await h.queue('@notice:1:0', { recipients, message: card('notice-1-0') });
    const sender = senderFor(client);
    await drain(sender);

    expect(fake.sendRaw).toHaveLength(2);
    expect(fake.sendRaw[1]).toBe(fake.sendRaw[0]);
    expect(JSON.parse(fake.sendRaw[0]!)).toMatchObject({ enable_duplicate_check: 1 });
    for (const u of recipients) expect(fake.deliveriesTo(u)).toHaveLength(1);
    expect(await h.row(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(outcomes(sender.reports)).toEqual(new Map(recipients.map((u) => [u, ['delivered']])));
  });

  it('negative control: without the duplicate check the same fault shows as a duplicate', async () => {
    const { client } = await setUp(300);
    fake.injectFaults('message/send', [{ hangMs: 1500, apply: true }]);
    const message: OutboundMessage = { msgtype: 'text', text: { content: '会议改在三楼' } };
    const first = client.sendMessage({ touser: ['zhangsan'], message, enableDuplicateCheck: false });
    await expect(first).rejects.toThrow(/timeout/);
    await client.sendMessage({ touser: ['zhangsan'], message, enableDuplicateCheck: false });
    expect(fake.sendRaw[1]).toBe(fake.sendRaw[0]);
    expect(fake.deliveriesTo('zhangsan')).toHaveLength(2);
  });
});

describe('F12 partial invalid recipients', () => {
  it('fails exactly the invalid and unlicensed ones with their reason, whatever the case of the userid', async () => {
    const { client } = await setUp();
    // WeCom answers userids lower-cased; the directory spells some with capitals.
    fake.setInvalidUsers(['u7', 'u9', 'ghost1', 'ghost2']);
    fake.setUnlicensedUsers(['u11']);
    const batch = ['u1', 'U7', 'u8', 'U9', 'u10', 'U11', 'u12'];
    await h.queue('@notice:2:0', { recipients: batch, message: card('notice-2-0') });
    // A batch of nobody WeCom knows: 81013.
    const nobody = await h.queue('@notice:2:1', {
      recipients: ['Ghost1', 'ghost2'],
      message: card('notice-2-1'),
    });
    const sender = senderFor(client);
    await drain(sender);

    expect(outcomes(sender.reports)).toEqual(
      new Map([
        ['u1', ['delivered']],
        ['u8', ['delivered']],
        ['u10', ['delivered']],
        ['u12', ['delivered']],
        ['U7', ['failed(invaliduser)']],
        ['U9', ['failed(invaliduser)']],
        ['U11', ['failed(unlicenseduser)']],
        ['Ghost1', ['failed(invaliduser)']],
        ['ghost2', ['failed(invaliduser)']],
      ]),
    );
    for (const u of ['u1', 'u8', 'u10', 'u12']) expect(fake.deliveriesTo(u)).toHaveLength(1);
    expect(fake.deliveries).toHaveLength(4);
    // Each batch was sent once: a final answer is not retried.
    expect(fake.sendLog).toHaveLength(2);
    expect(await h.row(nobody)).toMatchObject({
      status: 'failed',
      lastErrcode: 81013,
      lastError: 'invaliduser',
    });
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
describe.skipIf(!redisUrl)('F11 token expiry mid-broadcast, four processes sharing Redis', () => {
  it('costs one gettoken across the processes; each refused call is retried once; nothing is sent twice', async () => {
    await setUp();
    await deleteRedisKeys(redisUrl!);
    // Four processes: each its own Redis connection, token provider and client (they share only Redis, as separate
    // processes do).
    const stores: KeyValueStore[] = Array.from({ length: 4 }, () => createRedisKeyValueStore(redisUrl!));
    for (const s of stores) closers.push(() => s.close());
    const clients = stores.map((s) => clientOver(s));
    const message = (n: number): OutboundMessage => ({ msgtype: 'text', text: { content: `第${n}条通知` } });
    // Warm: every process has sent once with the cached token.
    await Promise.all(clients.map((c, i) => c.sendMessage({ touser: [`w${i}`], message: message(0) })));
    expect(fake.tokenCalls).toBe(1);

    for (const expiry of [42001, 40014]) {
      const before = { token: fake.tokenCalls, log: fake.sendLog.length };
      // WeCom ends the token early: 42001 (expired), or 40014 (invalid: here someone else called gettoken with the
      // same secret, and WeCom honours only the newest token, as the fake does).
      if (expiry === 42001) fake.expireToken();
      else
        await fetch(
          `${fake.url}/cgi-bin/gettoken?corpid=${CREDENTIALS.corpId}&corpsecret=${CREDENTIALS.secret}`,
        );
      const external = expiry === 40014 ? 1 : 0;
      const sends = clients.flatMap((c, p) =>
        Array.from({ length: 5 }, (_, k) =>
          c.sendMessage({ touser: [`e${expiry}-p${p}-${k}`], message: message(k) }),
        ),
      );
      await Promise.all(sends);
      // One gettoken across the four processes (besides the outsider's).
      expect(fake.tokenCalls - before.token - external).toBe(1);
      const calls = fake.sendLog.slice(before.log);
      const refused = calls.filter((c) => c.errcode === expiry);
      expect(refused.length).toBeGreaterThan(0);
      // Every refused call was retried once, and succeeded: no 40014 loop.
      expect(calls).toHaveLength(20 + refused.length);
      expect(calls.filter((c) => c.errcode === 0)).toHaveLength(20);
      for (const r of refused) expect(calls.filter((c) => c.touser === r.touser)).toHaveLength(2);
      for (let p = 0; p < 4; p++)
        for (let k = 0; k < 5; k++) expect(fake.deliveriesTo(`e${expiry}-p${p}-${k}`)).toHaveLength(1);
    }
  });
});
