import { afterEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import { StoreUnavailableError } from '../../src/shared/errors.js';
import { createRedisKeyValueStore } from '../../src/store/redis/redisKeyValueStore.js';
import { nextMsgId, waitFor } from './harness.js';
import { DRAFT_STEPS, REASON, TITLE, seeded, shuffled, startFaultRig, type FaultRig } from './faultRig.js';

/**
 * Storage faults (reliability plan F1–F7, F19), each with a fixed seed, counting effects in the database and
 * deliveries in the fake WeCom API: nothing acknowledged is lost, nothing is done twice. The server reaches MariaDB
 * through a proxy the test cuts, stalls and slows, and Redis is a redis-server of the test's own; the shared servers
 * are never stopped. Timelines are seconds, not the minutes of a soak: what matters is that each fault outlives the
 * deadlines it tests (the ack's 2.5 s, the store's 3 s per operation, Redis's 500 ms per command).
 *
 * Not here, and why:
 * - F3 (Redis restarted from its AOF, a BullMQ queue resuming): there is no queue in Redis. Inbox and outbox are
 *   MariaDB tables; Redis holds only leases (per-member locks), counters and pause marks, all rebuilt or re-taken
 *   when missing. A restart that keeps some keys is a milder F1 (restart empty), which is tested.
 * - F4 (maxmemory-policy): applies even without BullMQ, since an evicted lease would let two processes serve one
 *   member at once; the start-up check is tested in test/integration/redisEviction.e2e.test.ts.
 */
const mysqlUrl = process.env.TEST_DATABASE_URL;

const SUBMITTED = /提案已提交，编号/;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function proposalsOf(rig: FaultRig, user: string): Promise<number> {
  const [row] = await rig.query<{ n: number }>('SELECT COUNT(*) AS n FROM proposals WHERE owner_id = ?', [
    user,
  ]);
  return Number(row?.n);
}

/** Outbox rows to `user` whose text matches (orphans would be rows without their effect, or twice). */
async function outboxRows(rig: FaultRig, user: string, text: RegExp): Promise<{ status: string }[]> {
  const rows = await rig.query<{ status: string; message: unknown }>(
    'SELECT status, message FROM outbox WHERE to_user = ?',
    [user],
  );
  return rows
    .filter((r) => text.test(typeof r.message === 'string' ? r.message : JSON.stringify(r.message)))
    .map((r) => ({ status: r.status }));
}

/** Walks `user` to the summary, one settled answer at a time. */
async function draftToSummary(rig: FaultRig, user: string): Promise<void> {
  for (const step of DRAFT_STEPS) {
    expect(await rig.post(user, step, nextMsgId())).toBe(200);
    await rig.settle();
  }
  expect(rig.texts(user).at(-1)).toContain('请核对您的提案');
}

/** Exactly one proposal, one 提案已提交 (sent, and delivered once), one notice to the staff member. */
async function expectSubmittedOnce(rig: FaultRig, user: string): Promise<void> {
  expect(await proposalsOf(rig, user)).toBe(1);
  expect(rig.texts(user).filter((t) => SUBMITTED.test(t))).toHaveLength(1);
  expect(await outboxRows(rig, user, SUBMITTED)).toEqual([{ status: 'sent' }]);
  expect(rig.texts('wangwu').filter((t) => t.includes('【新提案】'))).toHaveLength(1);
  const [dead] = await rig.query<{ n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE status = 'dead'");
  expect(Number(dead?.n)).toBe(0);
}

describe.skipIf(!mysqlUrl)('storage faults: MariaDB', () => {
  let rig: FaultRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('F5: MariaDB hung inside the commit of 确认 — no 提案已提交 while it is down; after it resumes, one proposal, one confirmation', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    await draftToSummary(r, 'zhangsan');

    // The database hangs just as the worker writes the proposal (a SIGSTOP'd server: the bytes wait unread).
    const stalled = r.proxy.onceClientSends(/insert into `proposals`/i, () => r.proxy.stall());
    const confirm = nextMsgId();
    expect(await r.post('zhangsan', '确认', confirm)).toBe(200);
    await stalled;
    // WeCom's retry of 确认 while the database hangs is not acknowledged (the ack's deadline passes: 503) …
    expect(await r.post('zhangsan', '确认', confirm)).toBe(503);
    // … and the worker's commit outlives the store's 3 s deadline: it gives up, but tells the member nothing.
    await sleep(1000);
    expect(r.texts('zhangsan').filter((t) => SUBMITTED.test(t))).toHaveLength(0);
    expect(r.h.fake.deliveries.filter((d) => d.touser !== 'zhangsan')).toHaveLength(0);

    // The database wakes: the held statements run (the abandoned commit may complete now), the item is retried.
    r.proxy.resume();
    await waitFor(async () => (await proposalsOf(r, 'zhangsan')) === 1, 20_000, 'the proposal');
    await r.settle();
    // WeCom retries once more after the outage: acknowledged, no second effect.
    expect(await r.post('zhangsan', '确认', confirm)).toBe(200);
    await r.settle();
    await expectSubmittedOnce(r, 'zhangsan');
  }, 90_000);

  it('F5: MariaDB hung before 确认 arrives — 503 to every retry while down, nothing stored; the first retry after it resumes submits once', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    await draftToSummary(r, 'lisi');
    const deliveredBefore = r.h.fake.deliveries.length;

    r.proxy.stall();
    const confirm = nextMsgId();
    // WeCom's first delivery and its retries (here back to back): none is acknowledged while nothing can be stored.
    const statuses = await Promise.all([0, 1, 2].map(() => r.post('lisi', '确认', confirm)));
    expect(statuses).toEqual([503, 503, 503]);
    expect(r.h.fake.deliveries.length).toBe(deliveredBefore);

    r.proxy.resume();
    await waitFor(async () => (await r.post('lisi', '确认', confirm)) === 200, 20_000, 'an ack after resume');
    await r.settle();
    await expectSubmittedOnce(r, 'lisi');
  }, 90_000);

  it('F6: the connection of the 确认 transaction is KILLed between the proposal insert and the outbox insert — rolled back, retried, one effect, no orphan outbox row', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    await draftToSummary(r, 'zhangsan');

    // The proposal row is written in the open transaction; at its first outbox insert the server kills the
    // connection (`KILL <id>` of this very connection, found by the proxy's port: no other session is touched).
    let killedId = 0;
    const killed = r.proxy.onceClientSends(/insert into `outbox`/i, async (conn) => {
      const [row] = await r.query<{ ID: number }>(
        'SELECT ID FROM information_schema.PROCESSLIST WHERE HOST LIKE ?',
        [`%:${conn.upstreamPort}`],
      );
      killedId = Number(row?.ID);
      await r.query(`KILL ${killedId}`);
    });
    const confirm = nextMsgId();
    expect(await r.post('zhangsan', '确认', confirm)).toBe(200);
    await killed;
    expect(killedId).toBeGreaterThan(0);
    await r.settle();

    const [item] = await r.query<{ attempts: number; status: string }>(
      'SELECT attempts, status FROM inbox WHERE user_id = ? ORDER BY id DESC LIMIT 1',
      ['zhangsan'],
    );
    // The killed attempt was recorded as a failure, then the retry committed.
    expect(item).toMatchObject({ attempts: 1, status: 'done' });
    await expectSubmittedOnce(r, 'zhangsan');
    const [events] = await r.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM proposal_events e JOIN proposals p ON p.id = e.proposal_id WHERE p.owner_id = 'zhangsan'",
    );
    expect(Number(events?.n)).toBe(1);
  }, 90_000);

  it('F7: 3 s per query — the ack answers 503 at its deadline instead of hanging; after, each message is answered once', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    const users = ['zhangsan', 'lisi', 'wangwu'];
    const ids = users.map(() => nextMsgId());

    r.proxy.setLatency(3000);
    const slow = await Promise.all(users.map((u, i) => r.post(u, '写提案', ids[i]!)));
    expect(slow).toEqual([503, 503, 503]);
    r.proxy.setLatency(0);

    // WeCom's retries: acknowledged once the database answers again (a late insert of the first delivery, if it
    // landed, makes the retry a duplicate: still 200, still one row).
    for (const [i, u] of users.entries())
      await waitFor(async () => (await r.post(u, '写提案', ids[i]!)) === 200, 20_000, `an ack for ${u}`);
    await r.settle();
    for (const [i, u] of users.entries()) {
      const inbox = await r.query('SELECT id FROM inbox WHERE dedup_key LIKE ?', [`%${ids[i]!}`]);
      expect(inbox).toHaveLength(1);
      const replies = r.texts(u);
      expect(replies).toHaveLength(1);
    }
  }, 90_000);

  it('F19: MariaDB and Redis both down — 503 to every callback; after both return, the retries are processed once each', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    const users = ['zhangsan', 'lisi'];
    const ids = users.map(() => nextMsgId());

    r.proxy.cut();
    await r.redis!.kill();
    for (let attempt = 0; attempt < 3; attempt++)
      for (const [i, u] of users.entries()) expect(await r.post(u, '写提案', ids[i]!)).toBe(503);
    expect(r.h.fake.deliveries).toHaveLength(0);

    await r.redis!.restart();
    r.proxy.restore();
    for (const [i, u] of users.entries())
      await waitFor(async () => (await r.post(u, '写提案', ids[i]!)) === 200, 20_000, `an ack for ${u}`);
    await r.settle();
    // And one more retry of each, late: no second effect.
    for (const [i, u] of users.entries()) expect(await r.post(u, '写提案', ids[i]!)).toBe(200);
    await r.settle();
    for (const u of users) {
      expect(r.texts(u)).toHaveLength(1);
      expect(r.texts(u)[0]).toContain('第 1 步');
    }
    const inbox = await r.query('SELECT id FROM inbox');
    expect(inbox).toHaveLength(2);
  }, 90_000);
});

/** Six members drafting at once, a fixed seed choosing the order of their messages and when Redis fails. */
const DRAFTERS: Member[] = Array.from({ length: 6 }, (_, i) => ({
  userId: `drafter${i + 1}`,
  name: `委员${i + 1}`,
  role: 'member' as const,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
}));

describe.skipIf(!mysqlUrl)('storage faults: Redis', () => {
  let rig: FaultRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /**
   * Each drafter sends the 10 answers of a proposal draft, round by round in a seeded order; Redis fails before a
   * seeded round and comes back two rounds later. Every callback is acknowledged throughout (the inbox is MariaDB);
   * afterwards every member is at the summary with every field, each step's question was asked once, and 确认
   * submits once per member.
   */
  async function draftThroughRedisFault(
    r: FaultRig,
    seed: number,
    fault: { down(): Promise<void>; up(): Promise<void> },
  ): Promise<void> {
    const random = seeded(seed);
    const downAt = 2 + Math.floor(random() * 5);
    const statuses: number[] = [];
    for (const [round, step] of DRAFT_STEPS.entries()) {
      if (round === downAt) await fault.down();
      if (round === downAt + 2) await fault.up();
      for (const m of shuffled(DRAFTERS, random)) statuses.push(await r.post(m.userId, step, nextMsgId()));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await r.settle(30_000);

    for (const m of DRAFTERS) {
      const texts = r.texts(m.userId);
      expect(texts).toHaveLength(DRAFT_STEPS.length);
      // Each question once, and in order: the replies of a conversation are never delivered out of order.
      const steps = texts.flatMap((t) => /第 (\d) 步/.exec(t)?.[1] ?? []).map(Number);
      expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const summary = texts.at(-1)!;
      expect(summary).toContain(`1. 标题：${TITLE}`);
      expect(summary).toContain(`4. 案由：${REASON}`);
      expect(summary).toContain('8. 建议承办单位：县住房和城乡建设局');
    }
    for (const m of shuffled(DRAFTERS, random)) expect(await r.post(m.userId, '确认', nextMsgId())).toBe(200);
    await r.settle(30_000);
    for (const m of DRAFTERS) {
      expect(await proposalsOf(r, m.userId)).toBe(1);
      expect(r.texts(m.userId).filter((t) => SUBMITTED.test(t))).toHaveLength(1);
    }
    expect(r.texts('wangwu').filter((t) => t.includes('【新提案】'))).toHaveLength(DRAFTERS.length);
  }

  it('F1: Redis killed mid-conversation and restarted empty — every callback acknowledged, no draft field lost, no step twice (seed 1)', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true, members: DRAFTERS }));
    await draftThroughRedisFault(r, 1, { down: () => r.redis!.kill(), up: () => r.redis!.restart() });
  }, 120_000);

  it('F2: Redis hung (SIGSTOP) then woken — its calls fail fast instead of queueing; same outcome (seed 2)', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true, members: DRAFTERS }));
    // A client of our own, configured as the server's: while Redis is hung a call fails (StoreUnavailableError),
    // it does not wait in an offline queue for Redis to come back.
    const kv = createRedisKeyValueStore(r.redis!.url);
    try {
      await draftThroughRedisFault(r, 2, {
        down: async () => {
          r.redis!.hang();
          await expect(kv.get('probe')).rejects.toBeInstanceOf(StoreUnavailableError);
          await expect(kv.setIfAbsent('probe', '1', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
        },
        up: async () => {
          r.redis!.wake();
          await waitFor(
            async () =>
              await kv.get('probe').then(
                () => true,
                () => false,
              ),
            10_000,
            'redis',
          );
        },
      });
    } finally {
      await kv.close();
    }
  }, 120_000);
});
