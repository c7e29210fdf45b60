/**
 * bench/flow: what a conversation turn costs, in one run, on this process's core.
 *   - compile: compiling every stored flow once (what start-up pays, and what a turn would pay if it recompiled);
 *   - engine: turns per second of the pure engine (`step`), playing every transcript in flows/ (each turn checked
 *     against its expectations, so the figure is for correct turns);
 *   - full turn: a member's text through the inbound handler as the worker runs it (routing, understanding, the
 *     stored conversation, the flow, the effects, the commit to an in-memory SQLite database), per second;
 *   - recompiles: how many times the flow compiler ran during the full turns (the stored flow is looked up by its
 *     hash, never recompiled per turn: this prints 0 when that holds).
 * Prints the ratios full turn / engine turn and compile / engine turn. Asserts nothing.
 * Usage: npm run bench:flow [-- --seconds 3 --members 200]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createFlowRegistry } from '../src/core/flowRegistry.js';
import { compileFlow, parseFlowYaml, type CompiledFlow } from '../src/flows/index.js';
import { isFlowFileName, readFlowFiles } from '../src/store/flowFiles.js';
import { playCase, TranscriptFileSchema, type TranscriptFile } from '../test/flows/transcript.js';
import { testSqlite } from '../test/support/testDatabase.js';
import { sayAs, testHandler } from '../test/support/testHandler.js';
import { benchMembers, benchUser, pinSelf } from './callback.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const SECONDS = Number(args.get('seconds') ?? 3);
const MEMBERS = Number(args.get('members') ?? 200);

/** Runs `fn` repeatedly for about `SECONDS`; returns units per second (fn returns the units it did). */
async function rate(fn: () => number | Promise<number>): Promise<number> {
  // Warm-up: a fifth of the time, not counted.
  const warmEnd = performance.now() + (SECONDS * 1000) / 5;
  while (performance.now() < warmEnd) await fn();
  let units = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) units += await fn();
  return units / ((performance.now() - t0) / 1000);
}

const pinned = pinSelf('0');
console.log(
  `bench/flow — one process${pinned ? ' pinned to core 0' : ' (not pinned: no taskset)'}, ${SECONDS} s each`,
);

const files = await readFlowFiles('flows');
const parsed = files.map((f) => {
  const p = parseFlowYaml(f.text);
  if (!p.ok) throw new Error(`${f.file} does not parse`);
  return p.value;
});
const compilesPerSecond = await rate(() => {
  for (const def of parsed) if (!compileFlow(def).ok) throw new Error('a flow does not compile');
  return parsed.length;
});

const flows = new Map<string, CompiledFlow>(
  createFlowRegistry(files).flows.map((f): [string, CompiledFlow] => [f.id, f]),
);
const transcripts: TranscriptFile[] = readdirSync('flows')
  .filter((n) => n.endsWith('.test.yaml') && !isFlowFileName(n))
  .map((n) => TranscriptFileSchema.parse(parse(readFileSync(join('flows', n), 'utf8'))));
const playable = transcripts.filter((t) => flows.has(t.flow));
let failures = 0;
const engineTurns = await rate(() => {
  let turns = 0;
  for (const t of playable) {
    const flow = flows.get(t.flow)!;
    for (const c of t.cases) {
      failures += playCase(flow, t, c).length;
      turns += c.turns.length;
    }
  }
  return turns;
});

let compiles = 0;
const counting: typeof compileFlow = (input) => {
  compiles += 1;
  return compileFlow(input);
};
const registry = createFlowRegistry(files, counting);
const compilesAtStart = compiles;
const db = testSqlite(':memory:');
await db.members.upsertMany(benchMembers(MEMBERS));
const handle = testHandler(db, registry);
// Each member: start a proposal, give a title, then keep the draft and leave (三 turns, all stored).
const script = ['我想写个提案', '关于加快老旧小区加装电梯的建议', '取消'];
let inboxId = 1;
let member = 0;
const fullTurns = await rate(async () => {
  const userId = benchUser(member++ % MEMBERS);
  for (const text of script) await sayAs(db, handle, { userId, text, now: new Date(), inboxId: inboxId++ });
  return script.length;
});
const recompiles = compiles - compilesAtStart;
await db.close();

console.log(
  `  compile every flow          ${compilesPerSecond.toFixed(0).padStart(8)} flows/s  (${parsed.length} flows)`,
);
console.log(
  `  engine turn (pure step)     ${engineTurns.toFixed(0).padStart(8)} turns/s  (${playable.length} transcripts; ${failures} failed expectations)`,
);
console.log(`  full turn (handler+SQLite)  ${fullTurns.toFixed(0).padStart(8)} turns/s`);
console.log(`  recompiles during ${inboxId - 1} full turns: ${recompiles}`);
console.log(`  ratio full turn / engine turn cost: ${(engineTurns / fullTurns).toFixed(1)}`);
console.log(`  ratio one compile / engine turn cost: ${(engineTurns / compilesPerSecond).toFixed(1)}`);
process.exit(0);
