/**
 * bench/kfSurvey: survey answers per second through the whole path, citizens beside members, in the same run.
 * Citizens (微信客服): the answer is queued at the fake kf API, an encrypted kf_msg_or_event callback reaches the server,
 * which pulls it (kf/sync_msg), runs the survey flow and replies through kf/send_msg at the fake. Members (the WeCom
 * app): an encrypted text callback, the same survey flow, a reply through message/send. The server runs in its own
 * process (pinned to core 0 when taskset exists); both channels answer the same 6-question survey (2027年民生实事项目征集)
 * in rounds — every respondent sends their next answer, WeCom sends one notice per message, the round ends when every
 * answer has its reply and nothing is pending. Prints figures; asserts nothing.
 * Usage: npm run bench:kf [-- --people 100]   (MySQL + Redis too when BENCH_/TEST_DATABASE_URL and _REDIS_URL are set)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import type { Database } from '../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { kfNoticeXml, signCallback, textXml } from '../test/fakes/wecomSigner.js';
import { CREDENTIALS, makeEnv, resetServers, type Backend } from '../test/integration/harness.js';
import { testOpenDatabase } from '../test/support/testDatabase.js';
import { serverArgv, benchMembers, benchUser, pinSelf, spawnPinned, stopChild } from './callback.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const PEOPLE = Number(args.get('people') ?? 100);
const KF = 'wkBenchAccount';
const SURVEY = 'minsheng_2027';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
/** Callbacks in flight at once (WeCom's own delivery is concurrent). */
const CONCURRENCY = 20;

/** Each respondent's answers, in everyday words: projects, rating, suggestion, town (a tap for citizens), age, 确认. */
function answersOf(i: number): Array<{ text: string; menuId?: string }> {
  const towns = ['城关街道', '东城街道', '青山镇', '河口镇', '石桥镇', '白沙乡'];
  const town = towns[i % towns.length]!;
  return [
    { text: i % 2 ? '养老和修路' : '2 5' },
    { text: `${3 + (i % 3)}分` },
    { text: i % 3 ? `希望多建几个停车场，第${i}号建议` : '跳过' },
    { text: town, menuId: town },
    { text: String(1 + (i % 5)) },
    { text: '确认' },
  ];
}

interface Figure {
  answers: number;
  seconds: number;
}

async function pool<T>(items: readonly T[], work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function drained(db: Database, enough: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (enough()) {
      const inbox = await db.inbox.countByStatus();
      const outbox = await db.outbox.countByStatus();
      if (inbox.pending === 0 && outbox.pending === 0) return;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(url: string, plaintext: string): Promise<void> {
  const s = signCallback({ credentials: CREDENTIALS, plaintext });
  const res = await fetch(`${url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
  if (res.status !== 200) throw new Error(`callback answered ${res.status}`);
  await res.arrayBuffer();
}

async function citizens(url: string, fake: FakeWecomApi, db: Database): Promise<Figure> {
  const ids = Array.from({ length: PEOPLE }, (_, i) => `wmBench${String(i).padStart(4, '0')}`);
  const notice = (): Promise<void> =>
    post(
      url,
      kfNoticeXml({
        corpId: CREDENTIALS.corpId,
        token: fake.kf.token(KF),
        openKfid: KF,
        createTime: Math.floor(Date.now() / 1000),
      }),
    );
  // Everyone scans the survey's link: the welcome and the first question (not timed).
  for (const id of ids)
    fake.kf.enterSession({ openKfid: KF, externalUserid: id, scene: 'minsheng2027', welcome: true });
  await pool(ids, notice);
  await drained(db, () => ids.every((id) => fake.kf.sendsTo(id).length >= 1), 'the citizens’ first question');
  const rounds = answersOf(0).length;
  let answers = 0;
  const t0 = performance.now();
  for (let round = 0; round < rounds; round++) {
    const before = new Map(ids.map((id) => [id, fake.kf.sendsTo(id).length]));
    await pool(ids, async (id) => {
      const a = answersOf(ids.indexOf(id))[round]!;
      fake.kf.customerSays({ openKfid: KF, externalUserid: id, ...a });
      answers += 1;
      await notice();
    });
    await drained(
      db,
      () => ids.every((id) => fake.kf.sendsTo(id).length > before.get(id)!),
      `the citizens’ replies of round ${round + 1}`,
    );
  }
  return { answers, seconds: (performance.now() - t0) / 1000 };
}

async function members(url: string, fake: FakeWecomApi, db: Database): Promise<Figure> {
  const ids = Array.from({ length: PEOPLE }, (_, i) => benchUser(i));
  let msgId = 7_000_000_000_000;
  const says = (from: string, content: string): Promise<void> =>
    post(
      url,
      textXml({
        corpId: CREDENTIALS.corpId,
        from,
        content,
        msgId: String(msgId++),
        createTime: Math.floor(Date.now() / 1000),
        agentId: CREDENTIALS.agentId,
      }),
    );
  // Members start the same survey by its name (not timed).
  await pool(ids, (id) => says(id, '我想填一下民生实事征集的问卷'));
  await drained(
    db,
    () => ids.every((id) => fake.deliveriesTo(id).length >= 1),
    'the members’ first question',
  );
  const rounds = answersOf(0).length;
  let answers = 0;
  const t0 = performance.now();
  for (let round = 0; round < rounds; round++) {
    const before = new Map(ids.map((id) => [id, fake.deliveriesTo(id).length]));
    await pool(ids, async (id) => {
      answers += 1;
      await says(id, answersOf(ids.indexOf(id))[round]!.text);
    });
    await drained(
      db,
      () => ids.every((id) => fake.deliveriesTo(id).length > before.get(id)!),
      `the members’ replies of round ${round + 1}`,
    );
  }
  return { answers, seconds: (performance.now() - t0) / 1000 };
}

async function run(backend: Backend): Promise<void> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-kfbench-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const env = makeEnv(backend, dataDir, fake.url, {
    WECOM_KF_OPEN_KFIDS: KF,
    WECOM_KF_SYNC_INTERVAL_SECONDS: '3600',
    KF_CITIZEN_MAX_PER_MINUTE: '1000',
    ADMIN_TOKEN,
    POLL_INTERVAL_MS: '250',
    WECOM_API_TIMEOUT_MS: '10000',
  });
  const db = await testOpenDatabase(loadConfig(env).database);
  await db.members.upsertMany(benchMembers(PEOPLE));
  const { child, url } = await spawnPinned('0', serverArgv(), env);
  try {
    const opened = await fetch(`${url}/admin/api/surveys/${SURVEY}/open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (opened.status !== 200) throw new Error(`opening the survey answered ${opened.status}`);
    const kf = await citizens(url, fake, db);
    const app = await members(url, fake, db);
    const rate = (f: Figure): number => f.answers / f.seconds;
    const line = (label: string, f: Figure): string =>
      `  ${label.padEnd(34)} ${String(f.answers).padStart(5)} answers in ${f.seconds.toFixed(2).padStart(6)} s` +
      `  = ${rate(f).toFixed(1).padStart(7)} answers/s`;
    console.log(backend.name);
    console.log(line('citizens (kf callback → pull → kf/send_msg)', kf));
    console.log(line('members (app callback → message/send)', app));
    console.log(`  ratio citizens / members: ${(rate(kf) / rate(app)).toFixed(2)}`);
    const refused = fake.kf.refused.length;
    const results = await fetch(`${url}/admin/api/surveys/${SURVEY}/results`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await results.json()) as { byAudience?: unknown };
    console.log(
      `  kf sends refused by the fake: ${refused}; responses counted: ${JSON.stringify(body.byAudience ?? null)}`,
    );
  } finally {
    await stopChild(child);
    await db.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pinned = pinSelf('1');
const dbUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const backends: Backend[] = [
  { name: 'sqlite+memory (embedded)', databaseUrl: null, redisUrl: null },
  ...(dbUrl && redisUrl ? [{ name: 'mysql+redis', databaseUrl: dbUrl, redisUrl }] : []),
];
console.log(
  `bench/kfSurvey — ${PEOPLE} citizens and ${PEOPLE} members, 6 answers each, ${CONCURRENCY} callbacks in flight, ` +
    `node ${process.version}, ${pinned ? 'server on core 0, load on core 1' : 'NOT pinned (no taskset)'}`,
);
for (const b of backends) await run(b);
process.exit(0);
