import { afterEach, describe, expect, it } from 'vitest';
import { nextMsgId, waitFor } from './harness.js';
import {
  SUBMITTED,
  draftToSummary,
  expectSubmittedOnce,
  killConnection,
  proposalsOf,
  sleep,
  startFaultRig,
  type FaultRig,
} from './faultRig.js';

/**
 * Storage faults of the reliability plan, each with a fixed seed, counting effects in the database and deliveries in
 * the fake WeCom API: nothing acknowledged is lost, nothing is done twice. The server reaches MariaDB through a
 * proxy the test cuts, stalls and slows, and Redis is a redis-server of the test's own; the shared servers are never
 * stopped. Timelines are seconds, not the minutes of a soak: what matters is that each fault outlives the deadlines
 * it tests (the ack's 2.5 s, the store's 3 s per operation, Redis's 500 ms per command).
 *
 * This file: MariaDB hung (F5), a connection killed (F6), slow (F7), and MariaDB with Redis down together (F19).
 * Redis alone: faults.storage.redis.e2e.test.ts.
 */
const mysqlUrl = process.env.TEST_DATABASE_URL;

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
    const stalled = r.proxy.onceClientSends(/insert into `proposals`/i, async () => r.proxy.stall());
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
  }, 180_000);

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
  }, 180_000);

  it('F6: the connection of the 确认 transaction is KILLed between the proposal insert and the outbox insert — rolled back, retried, one effect, no orphan outbox row', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    await draftToSummary(r, 'zhangsan');

    // The proposal row is written in the open transaction; at its first outbox insert the server kills the
    // connection (`KILL <id>` of this very connection, found by the proxy's port: no other session is touched).
    let killedId = 0;
    const killed = r.proxy.onceClientSends(
      /insert into `outbox`/i,
      async (conn) => void (killedId = await killConnection(r, conn.upstreamPort)),
    );
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
  }, 180_000);

  it('F6: the connection storing a callback is KILLed mid-insert — 503 (not 500, not 200), and the retry is processed once', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true }));
    const killed = r.proxy.onceClientSends(/insert into `inbox`/i, (conn) =>
      killConnection(r, conn.upstreamPort),
    );
    const id = nextMsgId();
    expect(await r.post('zhangsan', '写提案', id)).toBe(503);
    await killed;
    await waitFor(
      async () => (await r.post('zhangsan', '写提案', id)) === 200,
      20_000,
      'an ack of the retry',
    );
    await r.settle();
    expect(await r.query('SELECT id FROM inbox')).toHaveLength(1);
    expect(r.texts('zhangsan')).toHaveLength(1);
    expect(r.texts('zhangsan')[0]).toContain('第 1 步');
  }, 120_000);

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
  }, 180_000);

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
  }, 180_000);
});
