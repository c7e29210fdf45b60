/**
 * bench/backlog: a backlog of 10,000 messages from 1,000 members (stored in the inbox before the server starts, as
 * after an outage or a flood) drained by one server process pinned to core 0 with its worker and sender, on each
 * backend. Prints messages processed per second, replies delivered per second, the server's CPU per message, and
 * checks that each member's messages were processed in arrival order. Asserts nothing else.
 * Usage: npm run bench:backlog [-- --messages 10000 --members 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { loadConfig } from '../src/config/config.js';
import type { Database } from '../src/core/ports.js';
import { sqlHandleOf } from '../src/store/sqlHandle.js';
import * as lite from '../src/store/sqlite/tables.js';
import * as my from '../src/store/mysql/tables.js';
import { startFakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../test/fakes/wecomSigner.js';
import { CREDENTIALS, makeEnv, resetServers, type Backend } from '../test/integration/harness.js';
import { testOpenDatabase } from '../test/support/testDatabase.js';
import { serverArgv, benchMembers, benchUser, cpuMs, pinSelf, spawnPinned, stopChild } from './callback.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const MESSAGES = Number(args.get('messages') ?? 10_000);
const MEMBERS = Number(args.get('members') ?? 1000);

async function fill(db: Database): Promise<void> {
  const createTime = Math.floor(Date.now() / 1000);
  for (let start = 0; start < MESSAGES; start += 100) {
    const adds: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(MESSAGES, start + 100); i++) {
      const msgId = String(7_000_000_000_000 + i);
      const s = signCallback({
        credentials: CREDENTIALS,
        plaintext: textXml({
          corpId: CREDENTIALS.corpId,
          from: benchUser(i % MEMBERS),
          content: `你好${Math.floor(i / MEMBERS)}`,
          msgId,
          createTime,
          agentId: CREDENTIALS.agentId,
        }),
      });
      adds.push(
        db.inbox.add({
          dedupKey: msgId,
          userId: benchUser(i % MEMBERS),
          kind: 'text',
          encrypted: s.encrypted,
          receivedAt: new Date(),
        }),
      );
    }
    await Promise.all(adds);
  }
}

/** Per member, the order items were finished in must be the order they arrived in (ids ascending). */
async function orderViolations(db: Database): Promise<number> {
  const h = sqlHandleOf(db);
  const rows: { id: number; userId: string; doneAt: Date | null }[] =
    h.dialect === 'sqlite'
      ? h.db
          .select({ id: lite.inbox.id, userId: lite.inbox.userId, doneAt: lite.inbox.doneAt })
          .from(lite.inbox)
          .orderBy(asc(lite.inbox.id))
          .all()
      : await h.db
          .select({ id: my.inbox.id, userId: my.inbox.userId, doneAt: my.inbox.doneAt })
          .from(my.inbox)
          .orderBy(asc(my.inbox.id));
  const last = new Map<string, number>();
  let violations = 0;
  for (const r of rows) {
    const t = r.doneAt?.getTime() ?? Number.NaN;
    const prev = last.get(r.userId);
    if (prev !== undefined && !(t >= prev)) violations += 1;
    last.set(r.userId, t);
  }
  return violations;
}

async function drain(backend: Backend): Promise<string> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-backlog-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const env = makeEnv(backend, dataDir, fake.url, {
    POLL_INTERVAL_MS: '250',
    WECOM_API_TIMEOUT_MS: '10000',
    SENDER_RATE_LIMIT_PAUSE_MS: '60000',
  });
  const db = await testOpenDatabase(loadConfig(env).database);
  try {
    await db.members.upsertMany(benchMembers(MEMBERS));
    await fill(db);
    const prof = args.has('cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${args.get('cpu-prof')}`] : [];
    const { child } = await spawnPinned('0', [process.execPath, ...prof, ...serverArgv().slice(1)], env);
    try {
      const started = Date.now();
      const cpu0 = cpuMs(child.pid) ?? 0;
      let processedAt = 0;
      for (;;) {
        const [i, o] = [await db.inbox.countByStatus(), await db.outbox.countByStatus()];
        if (i.pending === 0 && !processedAt) processedAt = Date.now();
        if (i.pending === 0 && o.pending === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const deliveredAt = Date.now();
      const cpu = (cpuMs(child.pid) ?? 0) - cpu0;
      const inbox = await db.inbox.countByStatus();
      const outbox = await db.outbox.countByStatus();
      return [
        `${backend.name}: ${MESSAGES} messages from ${MEMBERS} members`,
        `  processed in ${((processedAt - started) / 1000).toFixed(1)} s → ${(MESSAGES / ((processedAt - started) / 1000)).toFixed(0)} msg/s`,
        `  replies delivered in ${((deliveredAt - started) / 1000).toFixed(1)} s → ${(fake.deliveries.length / ((deliveredAt - started) / 1000)).toFixed(0)} /s (${fake.deliveries.length} deliveries, outbox ${outbox.sent} sent / ${outbox.failed} failed)`,
        `  server CPU ${(cpu / MESSAGES).toFixed(2)} ms per message; inbox ${inbox.done} done / ${inbox.dead} dead`,
        `  per-member order violations: ${await orderViolations(db)}`,
      ].join('\n');
    } finally {
      await stopChild(child);
    }
  } finally {
    await db.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pinned = pinSelf('1');
const dbUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const backends: Backend[] = [
  { name: 'sqlite+memory', databaseUrl: null, redisUrl: null },
  ...(dbUrl && redisUrl ? [{ name: 'mysql+redis', databaseUrl: dbUrl, redisUrl }] : []),
];
console.log(`bench/backlog — server on core 0${pinned ? '' : ' (not pinned: no taskset)'}`);
for (const b of backends) console.log(await drain(b));
process.exit(0);
