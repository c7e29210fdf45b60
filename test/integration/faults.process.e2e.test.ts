import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { testOpenDatabase } from '../support/testDatabase.js';
import { BACKENDS, CREDENTIALS, MEMBERS, makeEnv, resetServers, waitFor } from './harness.js';
import { admin, noticeBody, noticeEnv, roster } from './notices.harness.js';
import { exited, spawnServer } from './processes.js';

/**
 * F13 — SIGTERM during a broadcast, with a call in flight: the process stops claiming, finishes the call it is in
 * (and records it), hands the rest back, exits 0; after a restart the rest goes out. 2,500 members are three batches.
 * (F14, SIGKILL mid-broadcast with the call applied but unanswered, is test/integration/noticesCrash.e2e.test.ts.)
 */
describe.each(BACKENDS)('F13 SIGTERM during a broadcast ($name)', (backend) => {
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

  it('finishes the call in flight, exits 0, and the restart sends the rest: each member once', async () => {
    await resetServers(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-f13-'));
    fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
    const env = makeEnv(backend, dataDir, fake.url, { ...noticeEnv(), WECOM_API_TIMEOUT_MS: '10000' });
    db = await testOpenDatabase(loadConfig(env).database);
    await db.members.upsertMany([...MEMBERS, ...roster(2498)]);
    // The second batch is answered slowly: the signal comes while it is in flight.
    fake.injectFaults('message/send', [{ pass: true }, { hangMs: 2000, apply: true }]);

    const first = await spawnServer(env);
    children.push(first.child);
    const created = await admin(first.url, 'POST', '/notices', noticeBody());
    const id = Number(created.json['id']);
    expect((await admin(first.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
    await waitFor(async () => fake!.sendCalls >= 2, 20_000, 'the second batch to be in flight');
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);

    // The in-flight batch was finished and recorded; the third was handed back, not sent.
    expect(fake.sendCalls).toBe(2);
    expect(fake.deliveries).toHaveLength(2000);
    const batches = async () =>
      Promise.all([0, 1, 2].map(async (i) => (await db!.outbox.listForUser(`@notice:${id}:${i}`, 0, 5))[0]));
    const [b0, b1, b2] = await batches();
    expect([b0?.status, b1?.status, b2?.status]).toEqual(['sent', 'sent', 'pending']);
    expect(b2).toMatchObject({ attempts: 0, lastError: 'shutdown' });

    const second = await spawnServer(env);
    children.push(second.child);
    await fake.waitForDeliveries(2500, 20_000);
    await waitFor(
      async () => (await db!.outbox.countByStatus()).pending === 0,
      20_000,
      'the outbox to drain',
    );
    // Three calls in all: nothing was sent twice, nothing lost.
    expect(fake.sendCalls).toBe(3);
    const cards = fake.deliveries.filter((d) => d.msgtype === 'template_card');
    expect(cards).toHaveLength(2500);
    expect(new Set(cards.map((d) => d.touser)).size).toBe(2500);
    const recipients = await noticeStore(db).recipients(id);
    expect(recipients.filter((r) => r.delivery === 'sent')).toHaveLength(2500);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 120_000);
});
