import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import { migrateMysql } from '../../src/store/mysql/mysqlDatabase.js';
import type { Database } from '../../src/core/ports.js';
import { MEMBERS } from '../fixtures/members.js';
import { STORE_TABLES } from '../contract/backends.js';
import { deleteRedisKeys } from '../redisKeys.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { testOpenDatabase } from '../support/testDatabase.js';

export const CREDENTIALS = {
  corpId: 'wwe2etestcorp0001',
  agentId: 1000002,
  secret: 'e2e-secret-value-0123456789',
  token: 'e2eToken123',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

export { MEMBERS };

export interface Backend {
  name: string;
  databaseUrl: string | null;
  redisUrl: string | null;
}

/** SQLite + in-process always; MariaDB + Redis when the test servers are configured (CI always configures them). */
export const BACKENDS: Backend[] = [
  { name: 'sqlite+memory', databaseUrl: null, redisUrl: null },
  ...(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL
    ? [
        {
          name: 'mysql+redis',
          databaseUrl: process.env.TEST_DATABASE_URL,
          redisUrl: process.env.TEST_REDIS_URL,
        },
      ]
    : []),
];

/** Empties this worker's test database and Redis keys (test/workerStorage.ts) so each test starts clean. */
export async function resetServers(backend: Backend): Promise<void> {
  if (backend.databaseUrl) {
    await migrateMysql(backend.databaseUrl);
    const conn = await createConnection(backend.databaseUrl);
    try {
      for (const table of STORE_TABLES) await conn.query(`DELETE FROM \`${table}\``);
    } finally {
      await conn.end();
    }
  }
  if (backend.redisUrl) await deleteRedisKeys(backend.redisUrl);
}

export function makeEnv(
  backend: Backend,
  dataDir: string,
  apiBase: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    WECOM_CORP_ID: CREDENTIALS.corpId,
    WECOM_AGENT_ID: String(CREDENTIALS.agentId),
    WECOM_SECRET: CREDENTIALS.secret,
    WECOM_TOKEN: CREDENTIALS.token,
    WECOM_ENCODING_AES_KEY: CREDENTIALS.encodingAesKey,
    WECOM_API_BASE: apiBase,
    WECOM_API_TIMEOUT_MS: '1000',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    POLL_INTERVAL_MS: '50',
    SENDER_RETRY_BASE_MS: '50',
    SENDER_RATE_LIMIT_PAUSE_MS: '300',
    SENDER_RATE_LIMIT_HOUR_PAUSE_MS: '600',
    ...(backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {}),
    ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl } : {}),
    ...extra,
  };
}

export interface Harness {
  backend: Backend;
  config: Config;
  dataDir: string;
  fake: FakeWecomApi;
  server: RunningServer;
  /** A second connection to the same database, to look at what the server stored. */
  db: Database;
  post(plaintext: string, opts?: { timestamp?: number }): Promise<Response>;
  postText(from: string, content: string, msgId: string): Promise<Response>;
  close(): Promise<void>;
}

let msgCounter = 1_000_000;
export function nextMsgId(): string {
  msgCounter += 1;
  return `45612553542${msgCounter}`;
}

export async function startHarness(
  backend: Backend,
  extraEnv: Record<string, string> = {},
): Promise<Harness> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-e2e-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const config = loadConfig(makeEnv(backend, dataDir, fake.url, extraEnv));
  const db = await testOpenDatabase(config.database);
  await db.members.upsertMany(MEMBERS);
  const server = await startServer(config, { logger: createLogger('silent') });
  const post = (plaintext: string, opts: { timestamp?: number } = {}): Promise<Response> => {
    const signed = signCallback({
      credentials: CREDENTIALS,
      plaintext,
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    });
    return fetch(`${server.url}/wecom/callback?${signed.query}`, { method: 'POST', body: signed.body });
  };
  return {
    backend,
    config,
    dataDir,
    fake,
    server,
    db,
    post,
    postText: (from, content, msgId) =>
      post(
        textXml({
          corpId: CREDENTIALS.corpId,
          from,
          content,
          msgId,
          createTime: Math.floor(Date.now() / 1000),
          agentId: CREDENTIALS.agentId,
        }),
      ),
    async close() {
      await server.stop();
      await db.close();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The text of a message/send body the fake API recorded ('' for other message types). */
export function contentOf(delivery: { body: Record<string, unknown> }): string {
  const text = delivery.body.text;
  return typeof text === 'object' && text !== null && 'content' in text ? String(text.content) : '';
}

/** Lets the worker and sender finish anything in flight, so "exactly once" is not checked too early. */
export async function settle(h: Harness): Promise<void> {
  await waitFor(
    async () => {
      const inbox = await h.db.inbox.countByStatus();
      const outbox = await h.db.outbox.countByStatus();
      return inbox.pending === 0 && outbox.pending === 0;
    },
    15_000,
    'inbox and outbox to drain',
  );
}
