/**
 * bench/callback: requests per second of the WeCom callback, in one run, each server in its own process pinned to
 * core 0 (taskset) while this process (load generator, fake WeCom API) is pinned to core 1:
 *   - bare Koa 3 answering an empty 200 (the ceiling),
 *   - co-wechat 2.4 on Koa 3 (node-webot's WeChat middleware; stores nothing, never deduplicates), installed into
 *     a temp folder by this script and fed the same encrypted message with `encrypt_type=aes` added to its query,
 *   - this server (`build/main.js`, built and run as `npm start` does) on each backend, with its worker and sender running and
 *     the 500 senders registered as members, so every message is also processed and answered meanwhile.
 * Every request is a distinct signed and encrypted message. Prints req/s, p50/p99 and the ratios; asserts nothing.
 * Usage: npm run bench:callback [-- --seconds 8 --rounds 2 --connections 50]
 * MariaDB + Redis are included when BENCH_DATABASE_URL and BENCH_REDIS_URL (or TEST_*) are set.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.js';
import type { Member } from '../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../test/fakes/wecomSigner.js';
import { CREDENTIALS, makeEnv, resetServers, type Backend } from '../test/integration/harness.js';
import { testOpenDatabase } from '../test/support/testDatabase.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const seconds = Number(args.get('seconds') ?? 8);
const connections = Number(args.get('connections') ?? 50);
const SERVER_CORE = args.get('server-core') ?? '0';
const LOAD_CORE = args.get('load-core') ?? '1';
const rounds = Number(args.get('rounds') ?? 2);
const USERS = 500;

export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Server CPU time (user + system) per answered request, from /proc: less sensitive to a loaded machine. */
  cpuUsPerReq?: number;
  note?: string;
}

/** utime + stime of a process in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Pins this process (the load generator) to its core; a no-op where taskset is missing. */
export function pinSelf(core: string): boolean {
  try {
    execFileSync('taskset', ['-cp', core, String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let built = false;

/** The server as `npm start` runs it: the bundle, built once per bench run. */
export function serverArgv(): string[] {
  if (!built) {
    built = true;
  }
  return [process.execPath, 'build/main.js'];
}

/** Starts `argv` pinned to `core` and resolves once it prints `listening on :<port>`. */
export function spawnPinned(
  core: string,
  argv: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('taskset', ['-c', core, ...argv], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on :(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export interface SignedRequest {
  path: string;
  body: string;
}

/** Distinct signed, encrypted text messages from `users` members, made ahead so signing costs the load nothing. */
export function signedPool(n: number, users: number, msgIdBase: number): SignedRequest[] {
  const pool: SignedRequest[] = [];
  const createTime = Math.floor(Date.now() / 1000);
  for (let i = 0; i < n; i++) {
    const xml = textXml({
      corpId: CREDENTIALS.corpId,
      from: benchUser(i % users),
      content: '你好',
      msgId: String(msgIdBase + i),
      createTime,
      agentId: CREDENTIALS.agentId,
    });
    const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    pool.push({ path: `/wecom/callback?${s.query}`, body: s.body });
  }
  return pool;
}

export const benchUser = (i: number): string => `bench${String(i).padStart(4, '0')}`;

export function benchMembers(n: number): Member[] {
  return Array.from({ length: n }, (_, i) => ({
    userId: benchUser(i),
    name: `委员${i}`,
    role: 'member' as const,
    sector: '经济界',
    committee: null,
    mobile: null,
    active: true,
  }));
}

async function load(
  name: string,
  url: string,
  pool: SignedRequest[],
  rewrite: (path: string) => string = (p) => p,
  pid?: number,
): Promise<Figures> {
  let i = 0;
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = pool[i++ % pool.length]!;
          return { ...req, path: rewrite(r.path), body: r.body };
        },
      },
    ],
  });
  const cpuAfter = cpuMs(pid);
  const answered = result.requests.total;
  const cpuUsPerReq =
    cpuBefore !== null && cpuAfter !== null && answered > 0
      ? ((cpuAfter - cpuBefore) * 1000) / answered
      : undefined;
  const note = i > pool.length ? `pool of ${pool.length} reused: later requests are duplicates` : undefined;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
    ...(cpuUsPerReq === undefined ? {} : { cpuUsPerReq }),
    ...(note ? { note } : {}),
  };
}

/** A temp folder with koa@3 and co-wechat@2.4 and two tiny servers (bare Koa, co-wechat), reused across runs. */
function thirdPartyServers(): string {
  const dir = join(tmpdir(), 'xieshang-bench-thirdparty');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'node_modules', 'co-wechat'))) {
    writeFileSync(join(dir, 'package.json'), '{"name":"bench-thirdparty","private":true}');
    execFileSync('npm', ['install', 'koa@3', 'co-wechat@2.4.0', '--no-audit', '--no-fund', '--silent'], {
      cwd: dir,
      stdio: 'inherit',
    });
  }
  writeFileSync(
    join(dir, 'bare.cjs'),
    `const Koa = require('koa');
const app = new Koa();
app.use((ctx) => { ctx.status = 200; ctx.body = ''; });
const s = app.listen(0, '127.0.0.1', () => console.log('listening on :' + s.address().port));
`,
  );
  writeFileSync(
    join(dir, 'cowechat.cjs'),
    `const Koa = require('koa');
const wechat = require('co-wechat');
const app = new Koa();
app.use(wechat({ token: process.env.TOKEN, appid: process.env.CORP_ID, encodingAESKey: process.env.AES_KEY })
  .middleware(async () => ''));
const s = app.listen(0, '127.0.0.1', () => console.log('listening on :' + s.address().port));
`,
  );
  return dir;
}

async function thirdParty(dir: string, script: string, name: string, pool: SignedRequest[], aes: boolean) {
  const { child, url } = await spawnPinned(
    SERVER_CORE,
    [process.execPath, script],
    {
      TOKEN: CREDENTIALS.token,
      CORP_ID: CREDENTIALS.corpId,
      AES_KEY: CREDENTIALS.encodingAesKey,
    },
    dir,
  );
  try {
    return await load(name, url, pool, aes ? (p) => `${p}&encrypt_type=aes` : undefined, child.pid);
  } finally {
    await stopChild(child);
  }
}

async function ours(backend: Backend, fake: FakeWecomApi, pool: SignedRequest[]): Promise<Figures> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-bench-'));
  const env = makeEnv(backend, dataDir, fake.url, {
    POLL_INTERVAL_MS: '250',
    SENDER_RETRY_BASE_MS: '1000',
    WECOM_API_TIMEOUT_MS: '10000',
    SENDER_RATE_LIMIT_PAUSE_MS: '60000',
    NODE_ENV: 'production',
  });
  const db = await testOpenDatabase(loadConfig(env).database);
  await db.members.upsertMany(benchMembers(USERS));
  const { child, url } = await spawnPinned(SERVER_CORE, serverArgv(), env);
  try {
    const figures = await load(`this server (${backend.name})`, url, pool, undefined, child.pid);
    const inbox = await db.inbox.countByStatus();
    return {
      ...figures,
      note: [
        figures.note,
        `inbox at the end: ${inbox.done} done, ${inbox.pending} pending, ${inbox.dead} dead`,
      ]
        .filter(Boolean)
        .join('; '),
    };
  } finally {
    await stopChild(child);
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printTable(title: string, rows: Figures[], baseline: Figures): void {
  console.log(`\n${title}`);
  console.log(
    'scenario'.padEnd(36),
    'req/s'.padStart(8),
    'p50 ms'.padStart(7),
    'p99 ms'.padStart(7),
    'non-2xx'.padStart(8),
    '×bare'.padStart(6),
    '×co-wechat'.padStart(11),
    'CPU µs/req'.padStart(11),
  );
  const co = rows.find((r) => r.name.startsWith('co-wechat'));
  for (const r of rows) {
    console.log(
      r.name.padEnd(36),
      r.rps.toFixed(0).padStart(8),
      String(r.p50).padStart(7),
      String(r.p99).padStart(7),
      String(r.non2xx).padStart(8),
      (r.rps / baseline.rps).toFixed(3).padStart(6),
      (co ? (r.rps / co.rps).toFixed(2) : '-').padStart(11),
      (r.cpuUsPerReq === undefined ? '-' : r.cpuUsPerReq.toFixed(0)).padStart(11),
    );
  }
  for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
}

async function main(): Promise<void> {
  const pinned = pinSelf(LOAD_CORE);
  const dbUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
  const backends: Backend[] = [
    { name: 'sqlite+memory', databaseUrl: null, redisUrl: null },
    ...(dbUrl && redisUrl ? [{ name: 'mysql+redis', databaseUrl: dbUrl, redisUrl }] : []),
  ];
  const dir = thirdPartyServers();
  const pool = signedPool(Math.max(20_000, seconds * 9000), USERS, 9_000_000_000_000);
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  // Interleaved rounds, best of each kept: on a shared machine a neighbour's burst hits one scenario, not all.
  const best = new Map<string, Figures>();
  const keep = (f: Figures): void => {
    const prev = best.get(f.name);
    if (!prev || f.rps > prev.rps) best.set(f.name, f);
  };
  try {
    for (let round = 0; round < rounds; round++) {
      keep(await thirdParty(dir, 'bare.cjs', 'bare Koa 3', pool, false));
      keep(await thirdParty(dir, 'cowechat.cjs', 'co-wechat 2.4 on Koa 3', pool, true));
      for (const b of backends) keep(await ours(b, fake, pool));
    }
  } finally {
    await fake.close();
  }
  const rows = [...best.values()];
  printTable(
    `bench/callback — ${seconds} s per scenario, best of ${rounds} interleaved rounds, ${connections} connections, ` +
      `node ${process.version}, ` +
      (pinned ? `servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}` : 'NOT pinned (no taskset)'),
    rows,
    rows[0]!,
  );
}

if (process.argv[1]?.endsWith('callback.ts')) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
