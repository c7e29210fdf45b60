import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createKfPuller, kfStore, type KfPuller } from '../../../src/channels/wecomKf/index.js';
import { decodeWecomKf } from '../../../src/channels/wecomKf/decodeWecomKf.js';
import type { Database } from '../../../src/core/ports.js';
import { systemClock } from '../../../src/shared/clock.js';
import { createKvLock } from '../../../src/store/kvLock.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { connectSqlite } from '../../../src/store/sqlite/sqliteDatabase.js';
import { kfCursors } from '../../../src/channels/wecomKf/tables.sqlite.js';
import { createWecomClient } from '../../../src/wecom/api/client.js';
import { createKfApi } from '../../../src/wecom/api/kf.js';
import { createTokenProvider } from '../../../src/wecom/api/tokenProvider.js';
import { fetchTransport } from '../../../src/wecom/api/transport.js';
import { startFakeWecomApi, type FakeWecomApi } from '../../fakes/fakeWecomApi.js';
import { testRegistry } from '../../support/testDatabase.js';

const corpId = 'wwpullertest';
const secret = 'puller-secret';
const crypto = { corpId, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const KF = 'wkPULL';

let fake: FakeWecomApi;
let db: Database;
let handle: ReturnType<typeof connectSqlite>['db'];
const kv = createMemoryKeyValueStore();

beforeEach(async () => {
  fake = await startFakeWecomApi({ corpId, secret });
  const opened = connectSqlite(':memory:', { changes: testRegistry.changes });
  db = opened.database;
  handle = opened.db;
});
afterEach(async () => {
  await db.close();
  await fake.close();
});

function puller(
  opts: {
    lockKv?: ReturnType<typeof createMemoryKeyValueStore>;
    onStored?: () => void;
    /** Runs after each sync_msg answer, before the puller sees it. */
    afterSync?: () => Promise<void>;
  } = {},
) {
  const client = createWecomClient({
    apiBase: fake.url,
    agentId: 1000002,
    transport: fetchTransport,
    tokens: createTokenProvider({
      apiBase: fake.url,
      corpId,
      secret,
      agentId: 1000002,
      transport: fetchTransport,
      cache: kv,
      clock: systemClock,
    }),
  });
  const api = createKfApi(client);
  const afterSync = opts.afterSync;
  return createKfPuller({
    db,
    kv,
    lock: createKvLock(opts.lockKv ?? kv),
    api: afterSync
      ? {
          ...api,
          syncMsg: async (q) => {
            const page = await api.syncMsg(q);
            await afterSync();
            return page;
          },
        }
      : api,
    openKfids: [KF],
    crypto,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    timerMs: 60_000,
    retryMs: 20,
    onStored: opts.onStored ?? (() => undefined),
  });
}

function says(n: number, from = 'wm-a'): string[] {
  return Array.from({ length: n }, (_, i) =>
    fake.kf.customerSays({ openKfid: KF, externalUserid: from, text: `第${i}条` }),
  );
}

async function inboxKeys(): Promise<string[]> {
  const pending = await db.inbox.countByStatus();
  expect(pending.done + pending.dead).toBe(0);
  const keys: string[] = [];
  for (const user of ['wm-a', 'wm-b']) {
    // Drain by marking each done, in order, to list them.
    for (;;) {
      const item = await db.inbox.nextForUser(user);
      if (!item) break;
      keys.push(item.dedupKey);
      await db.commit([{ type: 'inbox.done', id: item.id, at: new Date() }]);
    }
  }
  return keys;
}

async function pullAll(p: KfPuller, token?: string) {
  const r = await p.pull(KF, token);
  if (r === 'busy') throw new Error('busy');
  return r;
}

describe('kf puller: paging and the cursor', () => {
  it('loops while has_more, stores each message once under its msgid, and saves the cursor', async () => {
    fake.kf.setPaging({ pageSize: 2 });
    const ids = says(5);
    const token = fake.kf.token(KF);
    const r = await pullAll(puller(), token);
    expect(r).toEqual({ pages: 3, stored: 5 });
    expect(await inboxKeys()).toEqual(ids.map((id) => `kfm:${id}`));
    expect(await kfStore(db).cursor(KF)).toBe('c5');
    expect(fake.kf.syncCalls.map((c) => [c.cursor, c.token])).toEqual([
      ['', token],
      ['c2', token],
      ['c4', token],
    ]);
  });

  it('does not stop at an empty page that says has_more', async () => {
    fake.kf.setPaging({ pageSize: 2, emptyPagesFirst: 2 });
    says(3);
    expect(await pullAll(puller())).toEqual({ pages: 4, stored: 3 });
  });

  it('stores nothing twice when pages overlap or the pull repeats', async () => {
    fake.kf.setPaging({ pageSize: 3, overlap: 1 });
    const ids = says(7);
    const p = puller();
    expect((await pullAll(p)).stored).toBe(7);
    expect((await pullAll(p)).stored).toBe(0);
    const more = says(2);
    expect((await pullAll(p)).stored).toBe(2);
    expect(await inboxKeys()).toEqual([...ids, ...more].map((id) => `kfm:${id}`));
  });

  it('after a crash between the inbox and the cursor, pulls the page again without doubling it', async () => {
    fake.kf.setPaging({ pageSize: 2 });
    const ids = says(4);
    await pullAll(puller());
    // The crash: messages stored, the cursor never saved.
    handle.delete(kfCursors).run();
    expect(await kfStore(db).cursor(KF)).toBe('');
    const again = await pullAll(puller());
    expect(again.stored).toBe(0);
    expect(await kfStore(db).cursor(KF)).toBe('c4');
    expect(await inboxKeys()).toEqual(ids.map((id) => `kfm:${id}`));
  });

  it('two instances pulling at once: one pulls, the other finds it busy; nothing is doubled', async () => {
    fake.kf.setPaging({ pageSize: 2 });
    says(6);
    const results = await Promise.all([puller().pull(KF), puller().pull(KF)]);
    expect(results.filter((r) => r === 'busy')).toHaveLength(1);
    expect((await db.inbox.countByStatus()).pending).toBe(6);
  });

  it('two instances whose locks do not see each other still store every message once (cursor compare-and-set)', async () => {
    fake.kf.setPaging({ pageSize: 1 });
    const ids = says(6, 'wm-b');
    const [a, b] = [
      puller({ lockKv: createMemoryKeyValueStore() }),
      puller({ lockKv: createMemoryKeyValueStore() }),
    ];
    await Promise.all([a.pull(KF), b.pull(KF)]);
    await pullAll(a);
    expect(await inboxKeys()).toEqual(ids.map((id) => `kfm:${id}`));
  });

  it('pulls without the token when WeCom says it is invalid (95007)', async () => {
    says(1);
    expect((await pullAll(puller(), 'ENC-expired')).stored).toBe(1);
    expect(fake.kf.syncCalls.map((c) => c.token)).toEqual(['ENC-expired', null]);
  });

  it('a trigger pulls and wakes the worker', async () => {
    says(2);
    let woken = 0;
    const p = puller({ onStored: () => (woken += 1) });
    p.trigger(KF, fake.kf.token(KF));
    p.trigger('wk-not-served');
    for (let i = 0; i < 200 && (await db.inbox.countByStatus()).pending < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    expect((await db.inbox.countByStatus()).pending).toBe(2);
    expect(woken).toBeGreaterThan(0);
    expect(fake.kf.syncCalls.every((c) => c.openKfid === KF)).toBe(true);
  });
});

describe('kf puller: the durable pull request', () => {
  async function until(done: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 300 && !(await done()); i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('a notice taken while a dying instance holds the pull is pulled by the next instance to start, with its token', async () => {
    says(2);
    // Another instance took the pull and died mid-pull: its lock lapses on its own (short here).
    const dead = await createKvLock(kv).acquire(`lock:kf-pull:${KF}`, 300);
    expect(dead).not.toBeNull();
    const b = puller();
    const token = fake.kf.token(KF);
    await b.request(KF, token);
    // This instance goes too, and its in-memory retry with it.
    await b.stop();
    expect(fake.kf.syncCalls).toHaveLength(0);
    expect(await kfStore(db).pullRequest(KF)).toMatchObject({ token, seq: 1 });
    await until(async () => (await kv.get(`lock:kf-pull:${KF}`)) === null);

    const c = puller();
    c.start();
    await until(async () => (await kfStore(db).pullRequest(KF)) === null);
    await c.stop();
    expect((await db.inbox.countByStatus()).pending).toBe(2);
    expect(fake.kf.syncCalls[0]).toMatchObject({ openKfid: KF, token });
    expect(await kfStore(db).pullRequest(KF)).toBeNull();
  });

  it('a notice recorded while a pull runs makes it pull again before clearing the request', async () => {
    says(1);
    let first = true;
    // Right after the first page was read, the citizen writes again and another instance stores that notice (then
    // dies before pulling it).
    const p = puller({
      afterSync: async () => {
        if (!first) return;
        first = false;
        says(1, 'wm-b');
        await kfStore(db).requestPull(KF, fake.kf.token(KF), new Date());
      },
    });
    await kfStore(db).requestPull(KF, fake.kf.token(KF), new Date());
    const r = await pullAll(p);
    await p.stop();
    expect(fake.kf.syncCalls).toHaveLength(2);
    expect(r.stored).toBe(2);
    expect(await inboxKeys()).toHaveLength(2);
    expect(await kfStore(db).pullRequest(KF)).toBeNull();
  });
});

describe('kf puller: failures', () => {
  it('retries a failed pull with the notice token (backoff), and stores everything once', async () => {
    says(2);
    fake.injectFaults('kf/sync_msg', [{ errcode: -1 }, { httpStatus: 502 }]);
    const p = puller();
    p.trigger(KF, fake.kf.token(KF));
    for (let i = 0; i < 300 && (await db.inbox.countByStatus()).pending < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    expect((await db.inbox.countByStatus()).pending).toBe(2);
    expect(fake.kf.syncCalls.length).toBeGreaterThanOrEqual(1);
  });
});

describe('kf decode', () => {
  it('turns customers’ messages, menu taps and session starts into inputs; servicer messages are recorded only', async () => {
    fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-a', text: '你好' });
    fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-a', text: '教育', menuId: 'edu' });
    fake.kf.enterSession({ openKfid: KF, externalUserid: 'wm-a', scene: 'survey1', welcome: true });
    fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-a', msgtype: 'image' });
    fake.kf.push(KF, {
      origin: 5,
      open_kfid: KF,
      external_userid: 'wm-a',
      servicer_userid: 'zhangsan',
      msgtype: 'text',
      text: { content: '您好' },
    });
    fake.kf.push(KF, {
      origin: 4,
      msgtype: 'event',
      event: {
        event_type: 'msg_send_fail',
        open_kfid: KF,
        external_userid: 'wm-a',
        fail_msgid: 'x',
        fail_type: 4,
      },
    });
    await pullAll(puller());
    const decoded = [];
    for (;;) {
      const item = await db.inbox.nextForUser('wm-a');
      if (!item) break;
      decoded.push(decodeWecomKf(crypto, item));
      await db.commit([{ type: 'inbox.done', id: item.id, at: new Date() }]);
    }
    expect(decoded.map((d) => d.input)).toEqual([
      { type: 'text', text: '你好' },
      { type: 'text', text: 'edu' },
      { type: 'sessionStart', scene: 'survey1', welcomeCode: expect.any(String) },
      { type: 'media' },
      null,
      null,
    ]);
    expect(decoded.every((d) => d.actorId === 'wm-a' && d.openKfid === KF)).toBe(true);
  });
});
