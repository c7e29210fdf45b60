import { readsOf } from '../../contract/storeReads.js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomAppChannel } from '../../../src/channels/wecomApp/index.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import { createInboundHandler, type InboundHandler } from '../../../src/core/handleInbound.js';
import type { Database, InboxItem } from '../../../src/core/ports.js';
import { createEffectRunner } from '../../../src/core/runEffect.js';
import { texts } from '../../../src/core/texts.js';
import { createWorker } from '../../../src/core/worker.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { createKvLock } from '../../../src/store/kvLock.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { encryptMessage } from '../../../src/wecom/crypto.js';
import { MEMBERS } from '../../fixtures/members.js';
import { textXml } from '../../fakes/wecomSigner.js';
import { testRegistry, testSqlite } from '../../support/testDatabase.js';

/**
 * The inbox worker in-process: items stored as WeCom stores them (encrypted callbacks) in an in-memory SQLite inbox,
 * opened by the real WeCom app channel, the in-process lock, and a clock moved by hand.
 */

const T0 = new Date('2026-11-02T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const CONTACT = '县政协办公室';
const credentials = { corpId: 'wwcorp', encodingAesKey: 'k'.repeat(43) };
const silent = pino({ level: 'silent' });
const channel = createWecomAppChannel({
  api: null,
  kv: createMemoryKeyValueStore(),
  logger: silent,
  credentials,
});

let db: Database;
let now: Date;
const clock = { now: () => now };
let lastId = 0;

beforeEach(() => {
  db = testSqlite(':memory:');
  now = T0;
  lastId = 0;
});
afterEach(() => db.close());

/** Stores an encrypted callback as ingest would and returns its inbox id. */
async function receive(userId: string, plaintext: string, receivedAt = now): Promise<number> {
  const dedupKey = `m:${lastId + 1}`;
  const encrypted = encryptMessage(credentials.encodingAesKey, plaintext, credentials.corpId);
  expect(await db.inbox.add({ dedupKey, userId, kind: 'text', encrypted, receivedAt })).toBe('stored');
  lastId += 1;
  return lastId;
}

const say = (userId: string, content: string, receivedAt = now) =>
  receive(
    userId,
    textXml({
      corpId: credentials.corpId,
      from: userId,
      createTime: 1,
      agentId: 1,
      content,
      msgId: String(lastId + 1),
    }),
    receivedAt,
  );

async function inbox(id: number): Promise<InboxItem> {
  const item = await readsOf(db).inboxItem(id);
  if (!item) throw new Error(`no inbox item ${id}`);
  return item;
}

/** A handler that records `user:text` and replies; texts in `failing` throw (each failure spends one entry). */
function recordingHandler(failing: string[] = []) {
  const seen: string[] = [];
  const handle: InboundHandler = async (msg, ctx) => {
    const text = msg.input?.type === 'text' ? msg.input.text : '?';
    seen.push(`${msg.actorId}:${text}`);
    const i = failing.indexOf(text);
    if (i >= 0 && failing[i] !== '*') failing.splice(i, 1);
    if (i >= 0) throw new Error(`boom on ${text}`);
    const message = { msgtype: 'text' as const, text: { content: `收到${text}` } };
    return [
      {
        type: 'outbox.add',
        at: ctx.now,
        message: { dedupKey: `reply:${ctx.inboxId}`, toUser: msg.actorId, message },
      },
    ];
  };
  return { handle, seen };
}

function worker(
  handle: InboundHandler,
  over: { maxAttempts?: number; lock?: ReturnType<typeof createKvLock> } = {},
) {
  return createWorker({
    db,
    lock: over.lock ?? createKvLock(createMemoryKeyValueStore(clock)),
    handle,
    clock,
    logger: silent,
    channels: new Map([[channel.id, channel]]),
    officeContact: CONTACT,
    retryBaseMs: 1000,
    ...(over.maxAttempts === undefined ? {} : { maxAttempts: over.maxAttempts }),
  });
}

/** Runs `handle` in two workers that do not share a lock (one's lease ran out), both inside it at the same time. */
async function twoWorkersAtOnce(handle: InboundHandler, maxAttempts?: number): Promise<void> {
  let arrived = 0;
  let bothIn!: () => void;
  const together = new Promise<void>((r) => (bothIn = r));
  const barrier: InboundHandler = async (msg, ctx) => {
    arrived += 1;
    if (arrived === 2) bothIn();
    await together;
    return handle(msg, ctx);
  };
  const opts = maxAttempts === undefined ? {} : { maxAttempts };
  await Promise.all([worker(barrier, opts).runOnce(), worker(barrier, opts).runOnce()]);
  expect(arrived).toBe(2);
}

describe('the worker', () => {
  it('keeps one user’s items in arrival order: a later item waits while an earlier one backs off', async () => {
    const { handle, seen } = recordingHandler(['one']);
    const w = worker(handle);
    const first = await say('a', 'one');
    const second = await say('a', 'two');
    expect(await w.runOnce()).toBe(1);
    expect(await inbox(first)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(1000) });
    now = at(999);
    expect(await w.runOnce()).toBe(0);
    expect(await inbox(second)).toMatchObject({ status: 'pending', attempts: 0 });
    now = at(1000);
    expect(await w.runOnce()).toBe(2);
    expect(seen).toEqual(['a:one', 'a:one', 'a:two']);
    expect((await inbox(second)).status).toBe('done');
  });

  it('does not start a user whose oldest item is not due, even when a later item is', async () => {
    const { handle, seen } = recordingHandler();
    const w = worker(handle);
    await say('a', 'early-arrival', at(5000));
    await say('a', 'due-now', T0);
    expect(await w.runOnce()).toBe(0);
    now = at(5000);
    await w.runOnce();
    expect(seen).toEqual(['a:early-arrival', 'a:due-now']);
  });

  it('interleaves users, each in order, and skips a user another worker holds', async () => {
    const { handle, seen } = recordingHandler();
    const kv = createMemoryKeyValueStore(clock);
    const lock = createKvLock(kv);
    for (const [u, t] of [
      ['a', '1'],
      ['b', '1'],
      ['a', '2'],
      ['c', '1'],
      ['b', '2'],
      ['a', '3'],
    ] as const)
      await say(u, t);
    const held = await lock.acquire('lock:conversation:c', 30_000);
    expect(await worker(handle, { lock }).runOnce()).toBe(5);
    expect(seen.filter((s) => s.startsWith('a:'))).toEqual(['a:1', 'a:2', 'a:3']);
    expect(seen.filter((s) => s.startsWith('b:'))).toEqual(['b:1', 'b:2']);
    expect(seen.some((s) => s.startsWith('c:'))).toBe(false);
    await lock.release('lock:conversation:c', held ?? '');
    expect(await worker(handle, { lock }).runOnce()).toBe(1);
    expect(await db.inbox.countByStatus()).toEqual({ pending: 0, done: 6, dead: 0 });
    expect(await db.outbox.countByStatus()).toMatchObject({ pending: 6 });
  });

  it('retries a failing item with backoff, then dead-letters it with one apology to the member', async () => {
    const { handle, seen } = recordingHandler(['*']);
    const w = worker(handle, { maxAttempts: 3 });
    const id = await say('a', '*');
    await w.runOnce();
    expect(await inbox(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: at(1000),
      lastError: 'boom on *',
    });
    now = at(1000);
    await w.runOnce();
    expect(await inbox(id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: at(3000) });
    now = at(3000);
    await w.runOnce();
    expect(await inbox(id)).toMatchObject({ status: 'dead', lastError: 'boom on *' });
    now = at(3_600_000);
    expect(await w.runOnce()).toBe(0);
    expect(seen).toHaveLength(3);
    const out = await db.outbox.listForUser('a', 0, 10);
    expect(out.map((o) => [o.dedupKey, o.message])).toEqual([
      [`dead:${id}`, { msgtype: 'text', text: { content: texts.processingFailed(CONTACT) } }],
    ]);
  });

  it('sends one apology when two workers dead-letter the same item at once', async () => {
    const { handle } = recordingHandler(['*']);
    const id = await say('a', '*');
    for (const t of [0, 1000]) {
      now = at(t);
      await worker(handle, { maxAttempts: 3 }).runOnce();
    }
    now = at(3000);
    await twoWorkersAtOnce(handle, 3);
    expect((await inbox(id)).status).toBe('dead');
    expect((await db.outbox.listForUser('a', 0, 10)).map((o) => o.dedupKey)).toEqual([`dead:${id}`]);
  });

  it('dead-letters an authentic but unparseable item at once, without an apology', async () => {
    const { handle, seen } = recordingHandler();
    const id = await receive('', '<xml><Content>no sender</Content></xml>');
    await worker(handle).runOnce();
    expect(await inbox(id)).toMatchObject({
      status: 'dead',
      attempts: 0,
      lastError: expect.stringMatching(/^unparseable/),
    });
    expect(seen).toEqual([]);
    expect(await db.outbox.countByStatus()).toEqual({ pending: 0, sent: 0, failed: 0 });
  });

  it('opens each item with the channel that stored it; one of a channel it lacks is dead-lettered with the reason', async () => {
    const { handle, seen } = recordingHandler();
    const encrypted = encryptMessage(credentials.encodingAesKey, '<xml/>', credentials.corpId);
    await db.inbox.add({
      dedupKey: 'kf:1',
      channel: 'wecom-kf',
      userId: 'wm1',
      kind: 'text',
      encrypted,
      receivedAt: now,
    });
    lastId += 1;
    const appItem = await say('a', '你好');
    await worker(handle).runOnce();
    expect(await readsOf(db).inboxItem(1)).toMatchObject({
      channel: 'wecom-kf',
      status: 'dead',
      lastError: 'no channel wecom-kf',
    });
    expect(await inbox(appItem)).toMatchObject({ channel: 'wecom-app', status: 'done' });
    expect(seen).toHaveLength(1);
  });

  it('adds nothing new when the real handler processes the same item twice', async () => {
    const flows = createFlowRegistry(await readFlowFiles('flows'));
    const real = () =>
      createInboundHandler({
        db,
        flows,
        routes: testRegistry.routes,
        runEffect: createEffectRunner({ effects: testRegistry.effects, db, logger: silent }),
        logger: silent,
        idleMs: 30 * 60_000,
        draftFlows: testRegistry.draftFlows,
        officeContact: CONTACT,
      });
    const outboxOf = async () =>
      (await db.outbox.listForUser('zhangsan', 0, 100)).map((o) => [o.dedupKey, o.message]);

    /** Stores 写提案 from a member and has it processed once, or by two workers at the same time. */
    async function processed(times: 1 | 2) {
      await db.members.upsertMany(MEMBERS);
      const id = await say('zhangsan', '写提案');
      if (times === 1) await worker(real()).runOnce();
      else await twoWorkersAtOnce(real());
      expect((await inbox(id)).status).toBe('done');
      return { outbox: await outboxOf(), conversation: (await db.conversations.get('zhangsan'))?.data };
    }

    const once = await processed(1);
    expect(once.outbox.length).toBeGreaterThan(0);
    await db.close();
    db = testSqlite(':memory:');
    lastId = 0;
    const twice = await processed(2);
    expect(twice.outbox).toHaveLength(once.outbox.length);
    expect(twice).toEqual(once);
  });
});
