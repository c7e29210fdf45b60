/**
 * bench/latency (reliability §5.5 L1–L4): ack latency of this server at a fixed offered rate, each backend in its own
 * process pinned to core 0 (worker and sender running, senders registered as members), the load generator on
 * core 1. L1: p99 at a steady 200 req/s; L2: p99 during a 500 req/s burst; L4: the knee, the lowest offered rate
 * (stepping up) at which p99 passes 1 s or requests fail. Prints figures; asserts nothing.
 * Usage: npm run bench:latency [-- --seconds 10 --burst-seconds 5 --knee-from 500 --knee-step 250 --knee-max 5000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.js';
import { startFakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { CREDENTIALS, makeEnv, resetServers, type Backend } from '../test/integration/harness.js';
import { testOpenDatabase } from '../test/support/testDatabase.js';
import {
  serverArgv,
  benchMembers,
  pinSelf,
  signedPool,
  spawnPinned,
  stopChild,
  type SignedRequest,
} from './callback.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const seconds = Number(args.get('seconds') ?? 10);
const burstSeconds = Number(args.get('burst-seconds') ?? 5);
const kneeFrom = Number(args.get('knee-from') ?? 500);
const kneeStep = Number(args.get('knee-step') ?? 250);
const kneeMax = Number(args.get('knee-max') ?? 5000);
const USERS = 500;

interface Step {
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  failed: number;
}

async function offer(
  url: string,
  pool: SignedRequest[],
  start: number,
  rate: number,
  secs: number,
): Promise<Step> {
  let i = start;
  const result = await autocannon({
    url,
    // Enough connections that a slow answer does not lower the offered rate (no coordinated omission up to 1 s).
    connections: Math.min(1000, Math.max(50, rate)),
    overallRate: rate,
    duration: secs,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = pool[i++ % pool.length]!;
          return { ...req, path: r.path, body: r.body };
        },
      },
    ],
  });
  return {
    rate,
    achieved: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

const show = (label: string, s: Step): string =>
  `  ${label.padEnd(28)} offered ${String(s.rate).padStart(5)}/s  answered ${s.achieved.toFixed(0).padStart(5)}/s  ` +
  `p50 ${String(s.p50).padStart(5)} ms  p99 ${String(s.p99).padStart(5)} ms  failed ${s.failed}`;

async function run(backend: Backend, pool: SignedRequest[]): Promise<void> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-latency-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const env = makeEnv(backend, dataDir, fake.url, {
    POLL_INTERVAL_MS: '250',
    WECOM_API_TIMEOUT_MS: '10000',
    SENDER_RATE_LIMIT_PAUSE_MS: '60000',
  });
  const db = await testOpenDatabase(loadConfig(env).database);
  await db.members.upsertMany(benchMembers(USERS));
  const { child, url } = await spawnPinned('0', serverArgv(), env);
  let used = 0;
  const next = (rate: number, secs: number): number => {
    const start = used;
    used += rate * secs + 100;
    return start;
  };
  try {
    console.log(`${backend.name}`);
    console.log(show('L1 steady 200 req/s', await offer(url, pool, next(200, seconds), 200, seconds)));
    console.log(
      show('L2 burst 500 req/s', await offer(url, pool, next(500, burstSeconds), 500, burstSeconds)),
    );
    let knee: number | null = null;
    for (let rate = kneeFrom; rate <= kneeMax; rate += kneeStep) {
      const s = await offer(url, pool, next(rate, burstSeconds), rate, burstSeconds);
      console.log(show(`L4 step`, s));
      if (s.p99 > 1000 || s.failed > 0 || s.achieved < rate * 0.9) {
        knee = rate;
        break;
      }
    }
    console.log(`  L4 knee: ${knee === null ? `above ${kneeMax} req/s` : `${knee} req/s offered`}`);
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
  { name: 'sqlite+memory', databaseUrl: null, redisUrl: null },
  ...(dbUrl && redisUrl ? [{ name: 'mysql+redis', databaseUrl: dbUrl, redisUrl }] : []),
];
console.log(`bench/latency — server on core 0, load on core 1${pinned ? '' : ' (NOT pinned: no taskset)'}`);
const pool = signedPool(
  200 * seconds + 500 * burstSeconds + kneeMax * burstSeconds * 4,
  USERS,
  6_000_000_000_000,
);
for (const b of backends) await run(b, pool);
process.exit(0);
