/**
 * bench/broadcast: one notice to 10,000 members against the fake WeCom API on loopback — wall time and
 * message/send calls — next to a baseline in the same run (1,000 plain texts sent one member per call, through the
 * same sender); then card taps processed per second next to plain texts answered by the conversation flows.
 * Prints figures and ratios; asserts nothing. Usage: npm run bench:broadcast [-- --members 10000 --taps 2000]
 * MariaDB is included when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createFlowRegistry, type FlowRegistry } from '../src/core/flowRegistry.js';
import { createNoticeAdmin } from '../src/features/notices/noticeAdmin.js';
import type { Change, Database } from '../src/core/ports.js';
import { testHandler } from '../test/support/testHandler.js';
import type { Sender } from '../src/core/sender.js';
import { testSender } from '../test/support/testSender.js';
import { formatShanghai } from '../src/features/notices/domain/index.js';
import { systemClock } from '../src/shared/clock.js';
import { readFlowFiles } from '../src/store/flowFiles.js';
import { createMemoryKeyValueStore } from '../src/store/memory/memoryKeyValueStore.js';
import { migrateMysql } from '../src/store/mysql/mysqlDatabase.js';
import { createWecomClient } from '../src/wecom/api/client.js';
import { createTokenProvider } from '../src/wecom/api/tokenProvider.js';
import { fetchTransport } from '../src/wecom/api/transport.js';
import type { InboundMessage } from '../src/wecom/inbound.js';
import { startFakeWecomApi, type FakeWecomApi } from '../test/fakes/fakeWecomApi.js';
import { CREDENTIALS, resetServers } from '../test/integration/harness.js';
import { roster } from '../test/integration/notices.harness.js';
import { STAFF } from '../test/unit/notices/helpers.js';
import { testSqlite, testMysql } from '../test/support/testDatabase.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const MEMBERS = Number(args.get('members') ?? 10_000);
const TAPS = Number(args.get('taps') ?? 2000);
const BASELINE_TEXTS = 1000;
const logger = pino({ level: 'silent' });

async function drain(db: Database, sender: Sender): Promise<void> {
  for (;;) {
    await sender.runOnce();
    if ((await db.outbox.countByStatus()).pending === 0) return;
  }
}

function senderFor(db: Database, fake: FakeWecomApi): Sender {
  const kv = createMemoryKeyValueStore();
  const api = createWecomClient({
    apiBase: fake.url,
    agentId: CREDENTIALS.agentId,
    transport: fetchTransport,
    tokens: createTokenProvider({
      apiBase: fake.url,
      corpId: CREDENTIALS.corpId,
      secret: CREDENTIALS.secret,
      agentId: CREDENTIALS.agentId,
      transport: fetchTransport,
      cache: kv,
      clock: systemClock,
    }),
  });
  // perUserPerMinute high: the baseline sends one text to each of many members, never two to one.
  return testSender({ db, kv, api, clock: systemClock, logger, perUserPerMinute: 1_000_000 });
}

/** The stored flows for the text baseline; with none loadable, texts get the plain unknown-command answer. */
async function loadFlows(): Promise<FlowRegistry> {
  try {
    return createFlowRegistry(await readFlowFiles('flows'));
  } catch (err) {
    console.log(`(flows/ not loadable, text baseline runs without flows: ${String(err).split('\n')[0]})`);
    return createFlowRegistry([]);
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function runBackend(name: string, db: Database): Promise<void> {
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  try {
    const members = roster(MEMBERS);
    await db.members.upsertMany([...members, STAFF]);
    const sender = senderFor(db, fake);
    await sender.runOnce(); // token fetched outside the measurements

    // Baseline: plain texts, one member per message/send.
    const now = new Date();
    await db.commit(
      members.slice(0, BASELINE_TEXTS).map((m, i): Change => ({
        type: 'outbox.add',
        at: now,
        message: {
          dedupKey: `bench:${i}`,
          toUser: m.userId,
          message: { msgtype: 'text', text: { content: '你好' } },
        },
      })),
    );
    const callsBefore = fake.sendCalls;
    const baseline = await timed(() => drain(db, sender));
    const baselineCalls = fake.sendCalls - callsBefore;

    // The broadcast: create + send through the admin use-case, then the sender drains the batches.
    const admin = createNoticeAdmin({
      db,
      now: () => new Date(),
      settings: { source: '县政协', remindBeforeMs: 86_400_000, morningHour: 8 },
    });
    const t = Date.now();
    const created = await admin.create(
      {
        title: '全体委员专题协商会',
        kind: '专题协商会',
        startsAt: formatShanghai(new Date(t + 3 * 86_400_000)),
        place: '县政协大礼堂',
        content: '议题：县域经济高质量发展',
        audience: { all: true },
        replyBy: formatShanghai(new Date(t + 2 * 86_400_000)),
      },
      null,
    );
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    const callsBeforeBroadcast = fake.sendCalls;
    const broadcast = await timed(async () => {
      const sent = await admin.send(created.id);
      if (sent === 'notFound' || !sent.ok) throw new Error('send failed');
      await drain(db, sender);
    });
    const broadcastCalls = fake.sendCalls - callsBeforeBroadcast;
    const cards = fake.deliveries.filter((d) => d.msgtype === 'template_card').length;

    // Taps through the inbound handler (what the worker runs per inbox item), each committed like the worker does.
    const flows = await loadFlows();
    const handle = testHandler(db, flows);
    const common = (from: string) => ({
      fromUserName: from,
      toUserName: 'corp',
      createTime: '1',
      agentId: '1',
    });
    let inboxId = 1_000_000;
    const processOne = async (msg: InboundMessage): Promise<void> => {
      inboxId += 1;
      await db.commit(await handle(msg, { inboxId, now: new Date() }));
    };
    const n = Math.min(TAPS, MEMBERS);
    const taps = await timed(async () => {
      for (let i = 0; i < n; i++)
        await processOne({
          type: 'template_card_event',
          ...common(members[i]!.userId),
          eventKey: `notice:${created.id}:${i % 4 === 0 ? 'leave' : 'attend'}`,
          taskId: 't',
          cardType: 'button_interaction',
          responseCode: `rc-${i}`,
          selectedItems: [],
        });
    });
    const texts = await timed(async () => {
      for (let i = 0; i < n; i++)
        await processOne({
          type: 'text',
          ...common(members[i]!.userId),
          content: '你好',
          msgId: String(9e15 + i),
        });
    });
    const receipts = await admin.receipts(created.id);

    const perMember = (ms: number, count: number): string => `${((ms / count) * 1000).toFixed(1)} µs/member`;
    console.log(`\n== ${name} ==`);
    console.log(
      `baseline   ${BASELINE_TEXTS} plain texts, one member per call: ${baseline.ms.toFixed(0)} ms, ` +
        `${baselineCalls} message/send calls, ${perMember(baseline.ms, BASELINE_TEXTS)}`,
    );
    console.log(
      `broadcast  one notice to ${MEMBERS} members: ${broadcast.ms.toFixed(0)} ms, ${broadcastCalls} message/send calls, ` +
        `${cards} cards delivered, ${perMember(broadcast.ms, MEMBERS)}`,
    );
    console.log(
      `           per member: ${(baseline.ms / BASELINE_TEXTS / (broadcast.ms / MEMBERS)).toFixed(1)}× faster than ` +
        `plain sends; API calls per member ${(broadcastCalls / MEMBERS).toFixed(4)} vs ${(baselineCalls / BASELINE_TEXTS).toFixed(1)}`,
    );
    console.log(
      `taps       ${n} card taps: ${((n / taps.ms) * 1000).toFixed(0)} taps/s ` +
        `(counted: 参加 ${receipts?.counts.attend}, 请假 ${receipts?.counts.leave})`,
    );
    console.log(
      `           vs ${n} plain texts through the flows: ${((n / texts.ms) * 1000).toFixed(0)} msgs/s ` +
        `→ taps ${(texts.ms / taps.ms).toFixed(2)}× the rate`,
    );
  } finally {
    await fake.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xieshang-bench-broadcast-'));
try {
  const sqlite = testSqlite(join(dir, 'bench.sqlite'));
  try {
    await runBackend('SQLite (file)', sqlite);
  } finally {
    await sqlite.close();
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    await resetServers({ name: 'bench', databaseUrl: url, redisUrl: null });
    await migrateMysql(url);
    const mysql = await testMysql(url, { operationTimeoutMs: 60_000 });
    try {
      await runBackend('MariaDB', mysql);
    } finally {
      await mysql.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
