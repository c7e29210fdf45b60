import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestCallback } from '../../src/channels/wecomApp/ingestCallback.js';
import type { Database, KeyValueStore } from '../../src/core/ports.js';
import { createApp } from '../../src/http/createApp.js';
import { createMemoryKeyValueStore } from '../../src/store/memory/memoryKeyValueStore.js';
import { openUrlVerification } from '../../src/wecom/envelope.js';
import { signUrlVerification } from '../../src/wecom/simulate.js';
import { CALLBACK_CREDENTIALS, signedText } from '../support/signedCallback.js';
import { testSqlite } from '../support/testDatabase.js';
import { inject } from './inject.js';

/**
 * The HTTP app wired as main.ts wires it (real verification, real ingest into an in-memory SQLite inbox), driven
 * in-process: no server, no socket.
 */

const NOW = new Date('2026-11-02T01:00:00Z');
const silent = pino({ level: 'silent' });

let db: Database;
let kv: KeyValueStore;
let accepting: boolean;
beforeEach(() => {
  db = testSqlite(':memory:');
  kv = createMemoryKeyValueStore();
  accepting = true;
});
afterEach(async () => {
  await db.close().catch(() => undefined);
});

const answers = (p: Promise<unknown>) =>
  p.then(
    () => true,
    () => false,
  );

function app() {
  const opts = { credentials: CALLBACK_CREDENTIALS, maxSkewSeconds: 300 };
  return createApp({
    logger: silent,
    isAccepting: () => accepting,
    verifyUrl: (query) => openUrlVerification({ ...opts, query, now: NOW }),
    ingest: (query, body) =>
      ingestCallback({ ...opts, inbox: db.inbox, logger: silent }, { query, body, now: NOW }),
    readiness: async () => ({ database: await answers(db.ping()), keyValueStore: await answers(kv.ping()) }),
  });
}

function post(msgId: string) {
  const signed = signedText({ from: 'zhangsan', content: '帮助', msgId, now: NOW });
  return inject(app(), {
    method: 'POST',
    url: `/wecom/callback?${signed.queryString}`,
    headers: { 'content-type': 'text/xml' },
    body: signed.body,
  });
}

describe('createApp', () => {
  it('answers URL verification with the decrypted echostr alone, as plain text', async () => {
    const { query } = signUrlVerification({
      credentials: CALLBACK_CREDENTIALS,
      echostr: '1616140317555161061',
      timestamp: Math.floor(NOW.getTime() / 1000),
    });
    const res = await inject(app(), { method: 'GET', url: `/wecom/callback?${query}` });
    expect(res).toMatchObject({ status: 200, text: '1616140317555161061' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);

    const forged = query.replace(/msg_signature=./, (m) =>
      m.endsWith('a') ? `${m.slice(0, -1)}b` : `${m.slice(0, -1)}a`,
    );
    expect(await inject(app(), { method: 'GET', url: `/wecom/callback?${forged}` })).toMatchObject({
      status: 403,
      json: { error: 'forbidden' },
    });
  });

  it('stores a signed callback and acknowledges it with an empty 200; a retry of it too', async () => {
    expect(await post('2001')).toMatchObject({ status: 200, text: '' });
    expect(await post('2001')).toMatchObject({ status: 200, text: '' });
    expect(await db.inbox.nextForUser('zhangsan')).toMatchObject({ dedupKey: 'm:2001', status: 'pending' });
    expect(await db.inbox.countByStatus()).toEqual({ pending: 1, done: 0, dead: 0 });
  });

  it('refuses callbacks with 503 JSON while shutting down, storing nothing', async () => {
    accepting = false;
    expect(await post('2001')).toMatchObject({ status: 503, json: { error: 'unavailable' } });
    expect(await db.inbox.countByStatus()).toEqual({ pending: 0, done: 0, dead: 0 });
  });

  it('answers 503 store_unavailable when the inbox is down, so WeCom retries', async () => {
    await db.close();
    expect(await post('2001')).toMatchObject({ status: 503, json: { error: 'store_unavailable' } });
  });

  it('reports readiness: ready while accepting and every store answers, 503 otherwise', async () => {
    expect(await inject(app(), { method: 'GET', url: '/readyz' })).toMatchObject({
      status: 200,
      json: { status: 'ready', accepting: true, database: true, keyValueStore: true },
    });
    await kv.close();
    expect(await inject(app(), { method: 'GET', url: '/readyz' })).toMatchObject({
      status: 503,
      json: { status: 'not ready', accepting: true, database: true, keyValueStore: false },
    });
    kv = createMemoryKeyValueStore();
    accepting = false;
    expect(await inject(app(), { method: 'GET', url: '/readyz' })).toMatchObject({
      status: 503,
      json: { status: 'not ready', accepting: false, database: true, keyValueStore: true },
    });
    expect(await inject(app(), { method: 'GET', url: '/healthz' })).toMatchObject({
      status: 200,
      json: { status: 'ok' },
    });
  });
});
