/**
 * bench/callback: requests per second through the full ingest path (verify → decrypt → parse → inbox insert → 200,
 * with the worker and sender running) against a bare Koa hello-world, in the same run, on each backend.
 * Prints figures and ratios; asserts nothing. Usage: npm run bench:callback [-- --seconds 8 --connections 50]
 * MariaDB + Redis are included when BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*) are set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '../src/config/config.js';
import { createLogger, startServer } from '../src/main.js';
import { startFakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../test/fakes/wecomSigner.js';
import { CREDENTIALS, makeEnv, resetServers, type Backend } from '../test/integration/harness.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const seconds = Number(args.get('seconds') ?? 8);
const connections = Number(args.get('connections') ?? 50);

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(name: string, url: string, next: () => { path: string; body: string }): Promise<Figures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = next();
          return { ...req, path: r.path, body: r.body };
        },
      },
    ],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function bareKoa(): Promise<Figures> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = '';
    ctx.status = 200;
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    return await load('bare Koa hello-world', `http://127.0.0.1:${port}`, () => ({
      path: '/',
      body: '<xml/>',
    }));
  } finally {
    server.close();
  }
}

async function ingest(backend: Backend): Promise<Figures> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-bench-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const config = loadConfig(
    makeEnv(backend, dataDir, fake.url, { POLL_INTERVAL_MS: '250', SENDER_RETRY_BASE_MS: '1000' }),
  );
  const server = await startServer(config, { logger: createLogger('silent') });
  // Unique signed requests made ahead of time, so the load generator does not bottleneck on crypto.
  const pool: { path: string; body: string }[] = [];
  const createTime = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 40_000; i++) {
    const xml = textXml({
      corpId: CREDENTIALS.corpId,
      from: `bench${i % 500}`,
      content: '压测',
      msgId: String(9_000_000_000_000 + i),
      createTime,
      agentId: CREDENTIALS.agentId,
    });
    const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    pool.push({ path: `/wecom/callback?${s.query}`, body: s.body });
  }
  let i = 0;
  try {
    return await load(`full ingest path (${backend.name})`, server.url, () => pool[i++ % pool.length]!);
  } finally {
    await server.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const dbUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const backends: Backend[] = [
  { name: 'sqlite+memory', databaseUrl: null, redisUrl: null },
  ...(dbUrl && redisUrl ? [{ name: 'mysql+redis', databaseUrl: dbUrl, redisUrl }] : []),
];

const baseline = await bareKoa();
const rows = [baseline];
for (const b of backends) rows.push(await ingest(b));
console.log(
  `\nbench/callback — ${seconds} s per scenario, ${connections} connections, node ${process.version}`,
);
console.log(
  'scenario'.padEnd(34),
  'req/s'.padStart(9),
  'p50 ms'.padStart(8),
  'p99 ms'.padStart(8),
  'non-2xx'.padStart(8),
  'ratio'.padStart(7),
);
for (const r of rows) {
  console.log(
    r.name.padEnd(34),
    r.rps.toFixed(0).padStart(9),
    String(r.p50).padStart(8),
    String(r.p99).padStart(8),
    String(r.non2xx).padStart(8),
    (r.rps / baseline.rps).toFixed(3).padStart(7),
  );
}
process.exit(0);
