import type { ChildProcess } from 'node:child_process';
import { exited, spawnServer } from './processes.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { BACKENDS, CREDENTIALS, MEMBERS, makeEnv, resetServers, waitFor } from './harness.js';
import { admin, noticeBody, noticeEnv, roster } from './notices.harness.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';
import { testOpenDatabase } from '../support/testDatabase.js';

describe.each(BACKENDS)('notice broadcast across 45009, a timeout and a crash ($name)', (backend) => {
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

  it('still gives each of 2,500 members exactly one card', async () => {
    await resetServers(backend);
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-notice-crash-'));
    fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
    // Production's API timeout: the hung send holds the sender until the kill, however slow the machine is.
    const env = makeEnv(backend, dataDir, fake.url, {
      ...noticeEnv(),
      LEASE_MS: '3000',
      WECOM_API_TIMEOUT_MS: '10000',
    });
    db = await testOpenDatabase(loadConfig(env).database);
    await db.members.upsertMany([...MEMBERS, ...roster(2498)]);
    // Batch 1 goes through; batch 2 is refused with 45009 (the sender pauses), then delivered on its retry but
    // the answer never comes: the server is killed while it waits.
    fake.injectFaults('message/send', [
      { pass: true },
      { errcode: 45009, errmsg: 'api freq out of limit' },
      { hangMs: 60_000, apply: true },
    ]);

    const first = await spawnServer(env);
    children.push(first.child);
    const created = await admin(first.url, 'POST', '/notices', noticeBody());
    expect(created.status).toBe(201);
    const id = Number(created.json['id']);
    expect((await admin(first.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
    await fake.waitForDeliveries(2000, 20_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(fake.deliveries).toHaveLength(2000);

    const second = await spawnServer(env);
    children.push(second.child);
    // The killed process's claims end with their 3 s lease, well before even one API timeout (10 s) would have, let
    // alone a lease sized for the claimed batch's sends (5 × (10 s + 2 s)); then the rest goes out.
    await fake.waitForDeliveries(2500, 10_000);
    await waitFor(async () => (await db!.outbox.countByStatus()).pending === 0, 20_000, 'outbox to drain');

    // Batch 2 was sent again after the restart (same bytes) and WeCom's duplicate check absorbed it.
    const touser = fake.sendBodies.map((b) => String(b['touser']).split('|')[0]);
    expect(touser).toEqual(['lisi', 'm00999', 'm00999', 'm01999']);
    const cards = fake.deliveries.filter((d) => d.msgtype === 'template_card');
    expect(cards).toHaveLength(2500);
    expect(new Set(cards.map((d) => d.touser)).size).toBe(2500);
    const recipients = await noticeStore(db).recipients(id);
    expect(recipients).toHaveLength(2500);
    expect(recipients.every((r) => r.delivery === 'sent')).toBe(true);
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 150_000);
});
