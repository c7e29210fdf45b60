import type { ChildProcess } from 'node:child_process';
import { exited, spawnServer } from './processes.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { BACKENDS, CREDENTIALS, MEMBERS, makeEnv, nextMsgId, resetServers, waitFor } from './harness.js';
import { testOpenDatabase } from '../support/testDatabase.js';

describe.each(BACKENDS)('crash and restart ($name)', (backend) => {
  let fake: FakeWecomApi | undefined;
  let db: Database | undefined;
  let dataDir = '';
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db?.close();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing when the server is killed between ack and processing', async () => {
    await resetServers(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-crash-'));
    fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
    const env = makeEnv(backend, dataDir, fake.url, { SENDER_RETRY_BASE_MS: '300' });
    db = await testOpenDatabase(loadConfig(env).database);
    await db.members.upsertMany(MEMBERS);
    // While the first process lives, WeCom answers "system busy", so nothing it accepted can be delivered yet.
    fake.injectFaults(
      'message/send',
      Array.from({ length: 500 }, () => ({ errcode: -1, errmsg: 'system busy' })),
    );

    const first = await spawnServer(env);
    children.push(first.child);
    const sent: Record<string, number> = {};
    for (let i = 0; i < 12; i++) {
      const user = MEMBERS[i % MEMBERS.length]!.userId;
      const xml = textXml({
        corpId: CREDENTIALS.corpId,
        from: user,
        content: `第${i}条`,
        msgId: nextMsgId(),
        createTime: Math.floor(Date.now() / 1000),
        agentId: CREDENTIALS.agentId,
      });
      const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
      const res = await fetch(`${first.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
      expect(res.status).toBe(200);
      sent[user] = (sent[user] ?? 0) + 1;
    }
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(fake.deliveries).toHaveLength(0);
    const inbox = await db.inbox.countByStatus();
    expect(inbox.pending + inbox.done).toBe(12);

    fake.clearFaults();
    const second = await spawnServer(env);
    children.push(second.child);
    // Items the killed process had claimed wait for their lease (5 × (1 s timeout + 2 s)) to end.
    await fake.waitForDeliveries(12, 45_000);
    await waitFor(
      async () => {
        const [i, o] = [await db!.inbox.countByStatus(), await db!.outbox.countByStatus()];
        return i.pending === 0 && o.pending === 0;
      },
      15_000,
      'queues to drain',
    );
    for (const [user, count] of Object.entries(sent)) expect(fake.deliveriesTo(user)).toHaveLength(count);

    // SIGTERM: a graceful stop that finishes within 10 s with exit code 0.
    const started = Date.now();
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 90_000);
});
