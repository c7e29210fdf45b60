import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { testOpenDatabase } from '../support/testDatabase.js';
import { BACKENDS, CREDENTIALS, MEMBERS, makeEnv, resetServers, waitFor } from './harness.js';
import { admin, noticeBody, noticeEnv, roster } from './notices.harness.js';

/**
 * F8 — 45009 during a broadcast, in its minute, hour and day forms (WeCom blocks for 60 s, 60 min or the natural
 * day and does not say which). The server runs in-process on a clock the test moves; the fake WeCom API blocks on
 * the same clock. 2,500 members are three batches (message/send takes 1,000 userids); the third batch meets the
 * block. Evidence: every message/send call with its time, the cards per userid, the notice's per-recipient state.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const CHINA = 8 * HOUR;
const DAY = 24 * HOUR;
// 10:00 China time tomorrow (after the notice bodies' "now"-relative dates are made, before their deadlines): the
// day block then ends 14 hours later, at China midnight.
const T0 = (Math.floor((Date.now() + CHINA) / DAY) + 1) * DAY - CHINA + 10 * HOUR;
const MIDNIGHT = T0 + 14 * HOUR;

describe.each(BACKENDS)('F8 45009 during a broadcast ($name)', (backend) => {
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

  it.each(['minute', 'hour', 'day'] as const)(
    'a %s block: no busy retries, one probe per window, then each member gets the card once',
    async (window) => {
      await resetServers(backend);
      dataDir = mkdtempSync(join(tmpdir(), 'xieshang-f8-'));
      let now = T0;
      const clock = { now: () => new Date(now) };
      fake = await startFakeWecomApi({
        corpId: CREDENTIALS.corpId,
        secret: CREDENTIALS.secret,
        now: () => now,
      });
      const config = loadConfig(
        makeEnv(backend, dataDir, fake.url, {
          ...noticeEnv(),
          // WeCom's own windows (the harness shortens the minute for the other tests).
          SENDER_RATE_LIMIT_PAUSE_MS: String(MINUTE),
          SENDER_RATE_LIMIT_HOUR_PAUSE_MS: String(HOUR),
          // No reminders while the clock runs through the day.
          NOTICE_REMIND_BEFORE_HOURS: '0',
          NOTICE_REMINDER_POLL_MS: String(HOUR),
        }),
      );
      db = await testOpenDatabase(config.database);
      await db.members.upsertMany([...MEMBERS, ...roster(2498)]);
      server = await startServer(config, { clock, logger: createLogger('silent') });

      // Two batches go through; the block begins with the third.
      fake.blockSends(window, { afterCalls: 2 });
      const created = await admin(server.url, 'POST', '/notices', noticeBody());
      expect(created.status).toBe(201);
      const id = Number(created.json['id']);
      expect((await admin(server.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
      const third = async () => (await db!.outbox.listForUser(`@notice:${id}:2`, 0, 5))[0];
      await waitFor(
        async () => (await third())?.lastErrcode === 45009,
        20_000,
        'the third batch to meet 45009',
      );

      // The blocked batch waits, its recipients pending; nothing else was lost or sent.
      expect(fake.deliveries).toHaveLength(2000);
      const states = async () => {
        const all = await noticeStore(db!).recipients(id);
        return {
          sent: all.filter((r) => r.delivery === 'sent').length,
          pending: all.filter((r) => r.delivery === 'pending').length,
        };
      };
      expect(await states()).toEqual({ sent: 2000, pending: 500 });
      expect(await third()).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: new Date(T0 + MINUTE),
      });

      // The notice's report says why the rest waits.
      const report = async () => (await admin(server!.url, 'GET', `/notices/${id}/receipts`)).json;
      expect(await report()).toMatchObject({
        counts: { delivery: { sent: 2000, pending: 500, failed: 0 } },
        paused: { reason: 'quota', until: new Date(T0 + MINUTE).toISOString() },
      });

      /** Moves the clock, and checks that no call is made (several sender polls go by) or that one probe is. */
      const calls = () => fake!.sendLog.length;
      const quietAt = async (t: number): Promise<void> => {
        now = t;
        const before = calls();
        await new Promise((r) => setTimeout(r, 500));
        expect(calls()).toBe(before);
      };
      const probeAt = async (t: number, answer: number): Promise<void> => {
        now = t;
        const before = calls();
        await waitFor(
          async () => calls() > before && fake!.sendLog[before]!.errcode !== null,
          20_000,
          'a probe',
        );
        expect(fake!.sendLog[before]).toMatchObject({ at: t, errcode: answer });
      };

      await quietAt(T0 + MINUTE - 1);
      if (window === 'minute') await probeAt(T0 + MINUTE, 0);
      else {
        await probeAt(T0 + MINUTE, 45009);
        await quietAt(T0 + 30 * MINUTE);
        await quietAt(T0 + HOUR - 1);
        if (window === 'hour') await probeAt(T0 + HOUR, 0);
        else {
          await probeAt(T0 + HOUR, 45009);
          await quietAt(T0 + 6 * HOUR);
          await quietAt(MIDNIGHT - 1);
          await probeAt(MIDNIGHT, 0);
        }
      }

      await waitFor(
        async () => (await db!.outbox.countByStatus()).pending === 0,
        20_000,
        'the outbox to drain',
      );
      const windows = { minute: 1, hour: 2, day: 3 }[window];
      // Two batches, the refused third, one probe per window: the last probe delivered.
      expect(fake.sendLog.map((c) => c.errcode)).toEqual([0, 0, ...Array(windows).fill(45009), 0]);
      const cards = fake.deliveries.filter((d) => d.msgtype === 'template_card');
      expect(cards).toHaveLength(2500);
      expect(new Set(cards.map((d) => d.touser)).size).toBe(2500);
      expect(await states()).toEqual({ sent: 2500, pending: 0 });
      expect(await third()).toMatchObject({ status: 'sent', attempts: 0 });
      expect(await report()).toMatchObject({
        counts: { delivery: { sent: 2500, pending: 0 } },
        paused: null,
      });
    },
    60_000,
  );
});
