import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { testOpenDatabase } from '../support/testDatabase.js';
import { BACKENDS, CREDENTIALS, MEMBERS, makeEnv, nextMsgId, resetServers, waitFor } from './harness.js';

/**
 * Faults on the way in, the server in-process with its log lines captured. F16: the server's clock runs 10 minutes
 * ahead — every callback is refused as stale, nothing is stored, and the log carries the observed skew and a
 * clock_skew alert. F20: an authentic callback whose inner XML is broken — 200 (WeCom must not retry it), one
 * dead-letter row with its reason and an alert, and the next message is answered (no crash loop). (F17, a WeCom
 * retry of a callback already committed: test/integration/channel.e2e.test.ts, one answer for three deliveries.)
 */

describe.each(BACKENDS)('faults on the callback path ($name)', (backend) => {
  let fake: FakeWecomApi | undefined;
  let db: Database | undefined;
  let server: RunningServer | undefined;
  let dataDir = '';
  afterEach(async () => {
    await server?.stop();
    await db?.close();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(
    clockOffsetMs: number,
  ): Promise<{ config: Config; logs: Array<Record<string, unknown>> }> {
    await resetServers(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-inbound-'));
    fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
    const config = loadConfig(makeEnv(backend, dataDir, fake.url));
    db = await testOpenDatabase(config.database);
    await db.members.upsertMany(MEMBERS);
    const logs: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n'))
          if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startServer(config, {
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
      logger: pino({ level: 'info' }, sink),
    });
    return { config, logs };
  }

  const post = (plaintext: string): Promise<Response> => {
    const s = signCallback({ credentials: CREDENTIALS, plaintext });
    return fetch(`${server!.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
  };
  const text = (from: string, content: string): string =>
    textXml({
      corpId: CREDENTIALS.corpId,
      from,
      content,
      msgId: nextMsgId(),
      createTime: Math.floor(Date.now() / 1000),
      agentId: CREDENTIALS.agentId,
    });

  it('F16: with the server clock 10 minutes ahead, refuses every callback as stale and raises the skew', async () => {
    const { logs } = await start(10 * 60_000);
    for (let i = 0; i < 20; i++) {
      const res = await post(text(MEMBERS[i % MEMBERS.length]!.userId, `第${i}条`));
      expect(res.status).toBe(403);
    }
    const inbox = await db!.inbox.countByStatus();
    expect(inbox.pending + inbox.done + inbox.dead).toBe(0);
    const refused = logs.filter((l) => l['msg'] === 'callback rejected');
    expect(refused).toHaveLength(20);
    for (const l of refused) {
      expect(l).toMatchObject({ reason: 'stale', status: 403 });
      // The observed skew: the server is 600 s ahead (a second either way for the time the request took).
      expect(Math.abs(Number(l['skewSeconds']) - 600)).toBeLessThanOrEqual(1);
    }
    const alerts = logs.filter((l) => l['alert'] === 'clock_skew');
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]).toMatchObject({ level: 50 });
    expect(Math.abs(Number(alerts[0]!['skewSeconds']) - 600)).toBeLessThanOrEqual(1);
  });

  it('F20: an authentic callback with broken inner XML is acknowledged, dead-lettered with a reason, once', async () => {
    const { config, logs } = await start(0);
    const poison = `<xml><ToUserName><![CDATA[${CREDENTIALS.corpId}]]></ToUserName><FromUserName>zhangsan</From`;
    // WeCom's retries of it (same content): one row.
    for (let i = 0; i < 3; i++) expect((await post(poison)).status).toBe(200);
    await waitFor(async () => (await db!.inbox.countByStatus()).dead === 1, 20_000, 'the dead letter');
    const dead = await deadLetters(config);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toMatch(/\S/);
    expect(logs.filter((l) => l['alert'] === 'dead_letter')).toHaveLength(1);
    // The worker carries on: the next member's message is answered.
    expect((await post(text('zhangsan', '你好'))).status).toBe(200);
    await fake!.waitForDeliveries(1, 20_000);
    await waitFor(async () => (await db!.inbox.countByStatus()).pending === 0, 20_000, 'the inbox to drain');
    expect(await db!.inbox.countByStatus()).toMatchObject({ pending: 0, done: 1, dead: 1 });
    expect(fake!.deliveriesTo('zhangsan')).toHaveLength(1);
  });
});

async function deadLetters(config: Config): Promise<Array<{ reason: string }>> {
  const database = config.database;
  if (database.kind === 'sqlite') {
    const conn = new BetterSqlite3(database.file, { readonly: true });
    try {
      return conn.prepare("SELECT last_error AS reason FROM inbox WHERE status = 'dead'").all() as Array<{
        reason: string;
      }>;
    } finally {
      conn.close();
    }
  }
  const conn = await createConnection(database.url);
  try {
    const [rows] = await conn.query("SELECT last_error AS reason FROM inbox WHERE status = 'dead'");
    return rows as Array<{ reason: string }>;
  } finally {
    await conn.end();
  }
}
