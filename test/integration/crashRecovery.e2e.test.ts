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

/**
 * Recovery is bounded by the lease, not by how long the work could take. The API timeout is production's (10 s) and
 * the lease production's default (3 s, renewed every second while the work runs). The first send hangs, so at the kill a claimed batch is in
 * flight: with a claim leased for the time its sends could take, those items would stay hidden for at least one API
 * timeout, and a dead process's per-user lock would outlive it the same way. The assertions below wait at most one
 * API timeout: recovery has to come from the lease ending.
 */
const API_TIMEOUT_MS = 10_000;
// Not shorter: while both instances run, a renewal delayed past the lease by a stalled event loop (a loaded CI
// machine) would let the other instance send the same item too. A 3 s lease leaves 2 s of slack.
const LEASE_MS = 3000;

async function post(url: string, user: string, content: string): Promise<number> {
  const xml = textXml({
    corpId: CREDENTIALS.corpId,
    from: user,
    content,
    msgId: nextMsgId(),
    createTime: Math.floor(Date.now() / 1000),
    agentId: CREDENTIALS.agentId,
  });
  const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
  return (await fetch(`${url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body })).status;
}

describe.each(BACKENDS)('crash and recovery ($name)', (backend) => {
  let fake: FakeWecomApi | undefined;
  let db: Database | undefined;
  let dataDir = '';
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await db?.close();
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function setUp(): Promise<{ env: Record<string, string>; sent: Record<string, number> }> {
    await resetServers(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-crash-'));
    fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
    const env = makeEnv(backend, dataDir, fake.url, {
      WECOM_API_TIMEOUT_MS: String(API_TIMEOUT_MS),
      LEASE_MS: String(LEASE_MS),
    });
    db = await testOpenDatabase(loadConfig(env).database);
    await db.members.upsertMany(MEMBERS);
    // The first message/send never answers and is not applied: the process that makes it is stuck in it.
    fake.injectFaults('message/send', [{ hangMs: 60_000 }]);
    return { env, sent: {} };
  }

  async function postTwelve(url: string, sent: Record<string, number>): Promise<void> {
    for (let i = 0; i < 12; i++) {
      const user = MEMBERS[i % MEMBERS.length]!.userId;
      expect(await post(url, user, `第${i}条`)).toBe(200);
      sent[user] = (sent[user] ?? 0) + 1;
    }
  }

  async function expectEachAnsweredOnce(sent: Record<string, number>): Promise<void> {
    await waitFor(
      async () => {
        const [i, o] = [await db!.inbox.countByStatus(), await db!.outbox.countByStatus()];
        return i.pending === 0 && o.pending === 0;
      },
      API_TIMEOUT_MS,
      'queues to drain',
    );
    for (const [user, count] of Object.entries(sent)) expect(fake!.deliveriesTo(user)).toHaveLength(count);
    expect(fake!.deliveries).toHaveLength(12);
  }

  it('answers every acknowledged message after a SIGKILL and a restart, once, within a lease', async () => {
    const { env, sent } = await setUp();
    const first = await spawnServer(env);
    children.push(first.child);
    await postTwelve(first.url, sent);
    await waitFor(async () => fake!.sendCalls >= 1, 20_000, 'the first send to hang');
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(fake!.deliveries).toHaveLength(0);
    const inbox = await db!.inbox.countByStatus();
    expect(inbox.pending + inbox.done).toBe(12);

    const second = await spawnServer(env);
    children.push(second.child);
    // Within one API timeout of the restart: the dead process's claims ended with their 1 s lease.
    await fake!.waitForDeliveries(12, API_TIMEOUT_MS);
    await expectEachAnsweredOnce(sent);

    // SIGTERM: a graceful stop with exit code 0 (the parent gives up on it at 10 s, main.ts).
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 150_000);

  // Two instances share the store only on MySQL + Redis (the embedded default runs one instance: its lock is
  // in-process).
  it.skipIf(backend.redisUrl === null)(
    'lets the surviving instance answer what a killed one held, without a restart',
    async () => {
      const { env, sent } = await setUp();
      const doomed = await spawnServer(env);
      children.push(doomed.child);
      await postTwelve(doomed.url, sent);
      await waitFor(async () => fake!.sendCalls >= 1, 20_000, 'the first send to hang');
      const survivor = await spawnServer(env);
      children.push(survivor.child);
      doomed.child.kill('SIGKILL');
      await exited(doomed.child);
      // The survivor takes the dead one's leased items within one API timeout of the kill.
      await fake!.waitForDeliveries(12, API_TIMEOUT_MS);
      await expectEachAnsweredOnce(sent);
      // And it keeps answering: a new message to it is processed and delivered.
      expect(await post(survivor.url, MEMBERS[0]!.userId, '还在吗')).toBe(200);
      await fake!.waitForDeliveries(13, API_TIMEOUT_MS);
    },
    150_000,
  );
});
