/**
 * bench/startup: start-up to ready and memory, in one run, on the embedded default.
 *   - Start-up: milliseconds from spawning the server to its `listening on` line, for the TypeScript sources under
 *     tsx (`npm run dev`) and for the compiled JavaScript `npm start` runs (`build/main.js`, built first by this
 *     bench), each on a fresh data directory (migrations run) and again on the same one (a restart); median of
 *     `--runs` (5), server pinned to core 0. Prints the ratio compiled / tsx, and the server's CPU time to ready,
 *     which a loaded machine disturbs less than the wall time.
 *   - Memory: the compiled server's RSS when ready, then with `--conversations` (1,000) members each in the middle
 *     of a proposal draft (one message each, answered by the fake WeCom API before the figure is read).
 * Prints figures; asserts nothing. Usage: npm run bench:startup [-- --runs 5 --conversations 1000]
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { startFakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../test/fakes/wecomSigner.js';
import { CREDENTIALS, makeEnv, type Backend } from '../test/integration/harness.js';
import { testOpenDatabase } from '../test/support/testDatabase.js';
import { benchMembers, benchUser, cpuMs, pinSelf, spawnPinned, stopChild } from './callback.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const RUNS = Number(args.get('runs') ?? 5);
const CONVERSATIONS = Number(args.get('conversations') ?? 1000);
const EMBEDDED: Backend = { name: 'sqlite+memory', databaseUrl: null, redisUrl: null };

const RUNNERS = {
  'tsx (npm run dev)': [process.execPath, '--import', 'tsx', 'src/main.ts'],
  'compiled (npm start)': [process.execPath, 'build/main.js'],
} as const;

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const median = (xs: number[]): number => {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

interface Start {
  ms: number;
  cpu: number;
  rss: number;
}

async function startOnce(argv: readonly string[], dataDir: string): Promise<Start> {
  // Local mode (no WeCom settings), as a newcomer's `npm start`.
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  const t0 = performance.now();
  const { child } = await spawnPinned('0', [...argv], env);
  const ms = performance.now() - t0;
  const figures = { ms, cpu: cpuMs(child.pid) ?? Number.NaN, rss: rssMb(child.pid) };
  await stopChild(child);
  return figures;
}

async function startup(): Promise<void> {
  console.log(`start-up to ready, median of ${RUNS} (fresh data directory / restart on the same one):`);
  const cold: Record<string, number> = {};
  for (const [name, argv] of Object.entries(RUNNERS)) {
    const fresh: Start[] = [];
    const again: Start[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'xieshang-startup-'));
      try {
        fresh.push(await startOnce(argv, dir));
        again.push(await startOnce(argv, dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    cold[name] = median(fresh.map((s) => s.ms));
    console.log(
      `  ${name.padEnd(22)} fresh ${median(fresh.map((s) => s.ms)).toFixed(0)} ms (CPU ${median(fresh.map((s) => s.cpu))} ms)` +
        `   restart ${median(again.map((s) => s.ms)).toFixed(0)} ms (CPU ${median(again.map((s) => s.cpu))} ms)` +
        `   RSS at ready ${median(again.map((s) => s.rss)).toFixed(0)} MB`,
    );
  }
  const [tsx, compiled] = Object.values(cold);
  console.log(`  ratio compiled / tsx (fresh): ${((compiled ?? 0) / (tsx ?? 1)).toFixed(2)}`);
}

async function post(url: string, path: string, body: string): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', body });
  if (res.status !== 200) throw new Error(`callback answered ${res.status}`);
  await res.text();
}

async function memory(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-memory-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const env = makeEnv(EMBEDDED, dataDir, fake.url, { WECOM_API_TIMEOUT_MS: '10000' });
  const db = await testOpenDatabase(loadConfig(env).database);
  let child: ChildProcess | undefined;
  try {
    await db.members.upsertMany(benchMembers(CONVERSATIONS));
    const started = await spawnPinned('0', [...RUNNERS['compiled (npm start)']], env);
    child = started.child;
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMb(child.pid);
    const createTime = Math.floor(Date.now() / 1000);
    for (let start = 0; start < CONVERSATIONS; start += 50) {
      const batch: Promise<void>[] = [];
      for (let i = start; i < Math.min(CONVERSATIONS, start + 50); i++) {
        const s = signCallback({
          credentials: CREDENTIALS,
          plaintext: textXml({
            corpId: CREDENTIALS.corpId,
            from: benchUser(i),
            content: '我想写个提案',
            msgId: String(8_000_000_000_000 + i),
            createTime,
            agentId: CREDENTIALS.agentId,
          }),
        });
        batch.push(post(started.url, `/wecom/callback?${s.query}`, s.body));
      }
      await Promise.all(batch);
    }
    const deadline = Date.now() + 300_000;
    while (new Set(fake.deliveries.map((d) => String(d.body.touser))).size < CONVERSATIONS) {
      if (Date.now() > deadline) throw new Error(`only ${fake.deliveries.length} replies after 5 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
    let open = 0;
    for (let i = 0; i < CONVERSATIONS; i++) if (await db.conversations.get(benchUser(i))) open += 1;
    // Let a collection run settle the figure the way a long-running server would see it.
    await new Promise((r) => setTimeout(r, 2000));
    const loaded = rssMb(child.pid);
    console.log(`memory (compiled server, embedded default):`);
    console.log(`  RSS ready and idle ${idle.toFixed(0)} MB`);
    console.log(
      `  RSS with ${open} open conversations (of ${CONVERSATIONS} members, each mid proposal draft) ${loaded.toFixed(0)} MB` +
        `   ratio to idle ${(loaded / idle).toFixed(2)}`,
    );
  } finally {
    if (child) await stopChild(child);
    await db.close();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const pinned = pinSelf('1');
console.log(`bench/startup — server on core 0${pinned ? '' : ' (not pinned: no taskset)'}`);
const t0 = performance.now();
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
console.log(`npm run build (esbuild, every npm start): ${(performance.now() - t0).toFixed(0)} ms`);
await startup();
await memory();
process.exit(0);
