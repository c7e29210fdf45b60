import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestCallback, type IngestOutcome } from '../../../src/channels/wecomApp/ingestCallback.js';
import type { Database, InboxStore } from '../../../src/core/ports.js';
import { StoreUnavailableError } from '../../../src/shared/errors.js';
import { CallbackRejection } from '../../../src/wecom/envelope.js';
import { signCallback } from '../../../src/wecom/simulate.js';
import { CALLBACK_CREDENTIALS, signedText } from '../../support/signedCallback.js';
import { testSqlite } from '../../support/testDatabase.js';

/** Persist, then acknowledge: ingestCallback over an in-memory SQLite inbox, no HTTP. */

const NOW = new Date('2026-11-02T01:00:00Z');
const silent = pino({ level: 'silent' });

let db: Database;
let woken: string[];
beforeEach(() => {
  db = testSqlite(':memory:');
  woken = [];
});
afterEach(() => db.close());

function ingest(
  signed: { query: Record<string, string>; body: string },
  inbox: InboxStore = db.inbox,
  storeDeadlineMs?: number,
): Promise<IngestOutcome> {
  return ingestCallback(
    {
      credentials: CALLBACK_CREDENTIALS,
      inbox,
      maxSkewSeconds: 300,
      logger: silent,
      onStored: (userId) => woken.push(userId),
      ...(storeDeadlineMs === undefined ? {} : { storeDeadlineMs }),
    },
    { query: signed.query, body: signed.body, now: NOW },
  );
}

const text = (msgId: string) => signedText({ from: 'zhangsan', content: '写提案', msgId, now: NOW });

describe('ingestCallback', () => {
  it('stores the ciphertext under the message’s dedup key, and only then answers 200', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowInbox: InboxStore = { ...db.inbox, add: async (e) => (await gate, db.inbox.add(e)) };
    const signed = text('1001');
    let answered = false;
    const outcome = ingest(signed, slowInbox).then((o) => ((answered = true), o));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    release();
    expect(await outcome).toEqual({ status: 200, stored: true, userId: 'zhangsan' });
    expect(await db.inbox.nextForUser('zhangsan')).toMatchObject({
      dedupKey: 'm:1001',
      kind: 'text',
      encrypted: signed.encrypted,
      receivedAt: NOW,
      nextAttemptAt: NOW,
      status: 'pending',
    });
    expect(woken).toEqual(['zhangsan']);
  });

  it('answers a duplicate with 200 stored:false, storing nothing and waking nobody', async () => {
    expect(await ingest(text('1001'))).toMatchObject({ status: 200, stored: true });
    // WeCom's retry of the same message comes with a new signature, nonce and ciphertext.
    expect(await ingest(text('1001'))).toEqual({ status: 200, stored: false, userId: 'zhangsan' });
    expect(await db.inbox.countByStatus()).toEqual({ pending: 1, done: 0, dead: 0 });
    expect(woken).toEqual(['zhangsan']);
  });

  it('rejects a forged signature or a foreign key before anything is stored', async () => {
    const signed = text('1001');
    const sig = signed.query['msg_signature'] ?? '';
    const forged = {
      ...signed,
      query: { ...signed.query, msg_signature: `${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}` },
    };
    await expect(ingest(forged)).rejects.toMatchObject({ name: 'CallbackRejection', status: 403 });
    const foreign = signedText({
      from: 'zhangsan',
      content: 'x',
      msgId: '1002',
      now: NOW,
      credentials: { ...CALLBACK_CREDENTIALS, token: 'someoneelse' },
    });
    await expect(ingest(foreign)).rejects.toBeInstanceOf(CallbackRejection);
    expect(await db.inbox.countByStatus()).toEqual({ pending: 0, done: 0, dead: 0 });
    expect(woken).toEqual([]);
  });

  it('stores authentic content that does not parse under a hash, so the worker dead-letters it', async () => {
    const signed = signCallback({
      credentials: CALLBACK_CREDENTIALS,
      plaintext: '<xml><Content>no sender</Content></xml>',
      timestamp: Math.floor(NOW.getTime() / 1000),
    });
    const outcome = await ingest({
      query: Object.fromEntries(new URLSearchParams(signed.query)),
      body: signed.body,
    });
    expect(outcome).toEqual({ status: 200, stored: true, userId: '' });
    expect(await db.inbox.nextForUser('')).toMatchObject({
      kind: 'malformed',
      dedupKey: expect.stringMatching(/^x:[0-9a-f]{64}$/),
    });
  });

  it('answers 503 when the inbox does not answer within the deadline, or says it is down', async () => {
    const hanging: InboxStore = { ...db.inbox, add: () => new Promise(() => undefined) };
    expect(await ingest(text('1001'), hanging, 5)).toEqual({ status: 503, reason: 'store_unavailable' });
    const down: InboxStore = {
      ...db.inbox,
      add: async () => {
        throw new StoreUnavailableError('connection refused');
      },
    };
    expect(await ingest(text('1002'), down)).toEqual({ status: 503, reason: 'store_unavailable' });
    expect(woken).toEqual([]);
  });

  it('lets an unexpected inbox error through (a bug is a 500, not a retry loop)', async () => {
    const broken: InboxStore = {
      ...db.inbox,
      add: async () => {
        throw new TypeError('bug');
      },
    };
    await expect(ingest(text('1001'), broken)).rejects.toThrow('bug');
  });
});
