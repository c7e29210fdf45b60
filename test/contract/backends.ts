/**
 * The backends every contract suite runs against. SQLite (a temp file, plus a `:memory:` variant) and the in-memory
 * key-value store always; MariaDB / Redis only when TEST_DATABASE_URL / TEST_REDIS_URL are set (test/globalSetup.ts
 * warns, or fails under CI, when they are not). Each suite loops over these and runs the SAME assertions per backend.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { Database, KeyValueStore } from '../../src/core/ports.js';
import { createMemoryKeyValueStore } from '../../src/store/memory/memoryKeyValueStore.js';
import { connectMysql, migrateMysql } from '../../src/store/mysql/mysqlDatabase.js';
import { createRedisKeyValueStore } from '../../src/store/redis/redisKeyValueStore.js';
import { connectSqlite } from '../../src/store/sqlite/sqliteDatabase.js';
import { testMysql, testRegistry, testSqlite } from '../support/testDatabase.js';
import { mysqlReads, sqliteReads, type StoreReads } from './storeReads.js';
import { deleteRedisKeys } from '../redisKeys.js';

/** Every table (core and features' tables): each test starts from empty storage. */
export const STORE_TABLES = [
  'inbox',
  'outbox',
  'members',
  'conversations',
  'drafts',
  'proposals',
  'proposal_events',
  'cosigners',
  'notices',
  'notice_recipients',
  'notice_reminders',
  'kf_cursors',
  'kf_windows',
  'survey_states',
  'survey_responses',
  'sentiment_reports',
  'sentiment_events',
  'proposal_assignments',
  'proposal_meetings',
  'proposal_replies',
  'proposal_evaluations',
  'proposal_deadlines',
  'duty_attendance',
] as const;

const databaseUrl = process.env.TEST_DATABASE_URL ?? '';
const redisUrl = process.env.TEST_REDIS_URL ?? '';

export interface DatabaseFixture {
  db: Database;
  /** Reads past the ports on `db`'s own connection (storeReads.ts). */
  reads: StoreReads;
  /** A second, independent Database on the same storage (another "process"), closed by teardown. */
  openAnother(): Promise<Database>;
  teardown(): Promise<void>;
}

export interface DatabaseBackend {
  name: string;
  skip: boolean;
  /** Once per suite (e.g. migrate). */
  prepare?(): Promise<void>;
  /** Fresh, empty storage per test. */
  create(): Promise<DatabaseFixture>;
}

const sqliteFile: DatabaseBackend = {
  name: 'sqlite (temp file)',
  skip: false,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'xieshang-contract-'));
    // A subfolder that does not exist yet: createSqliteDatabase must create it.
    const file = join(dir, 'data', 'xieshang.db');
    const first = connectSqlite(file, { changes: testRegistry.changes });
    const opened: Database[] = [first.database];
    return {
      db: first.database,
      reads: sqliteReads(first.db),
      async openAnother() {
        const another = testSqlite(file);
        opened.push(another);
        return another;
      },
      async teardown() {
        for (const d of opened) await d.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const sqliteMemory: DatabaseBackend = {
  name: 'sqlite (:memory:)',
  skip: false,
  async create() {
    const { database: db, db: handle } = connectSqlite(':memory:', { changes: testRegistry.changes });
    return {
      db,
      reads: sqliteReads(handle),
      // A :memory: database is private to its connection: the "other process" can only be the same instance.
      openAnother: async () => db,
      teardown: () => db.close(),
    };
  },
};

const mysql: DatabaseBackend = {
  name: 'mysql',
  skip: !databaseUrl,
  async prepare() {
    await migrateMysql(databaseUrl);
  },
  async create() {
    const conn = await createConnection({ uri: databaseUrl });
    try {
      for (const table of STORE_TABLES) await conn.query(`TRUNCATE TABLE \`${table}\``);
    } finally {
      await conn.end();
    }
    const first = await connectMysql(databaseUrl, { changes: testRegistry.changes });
    const opened: Database[] = [first.database];
    return {
      db: first.database,
      reads: mysqlReads(first.db),
      async openAnother() {
        const another = await testMysql(databaseUrl);
        opened.push(another);
        return another;
      },
      async teardown() {
        for (const d of opened) await d.close();
      },
    };
  },
};

export const databaseBackends: readonly DatabaseBackend[] = [sqliteFile, sqliteMemory, mysql];

/** Registers the per-test hooks of one backend's describe block; read `.db` inside tests. */
export function useDatabase(backend: DatabaseBackend): {
  readonly db: Database;
  readonly reads: StoreReads;
  openAnother(): Promise<Database>;
} {
  let fixture: DatabaseFixture | null = null;
  beforeAll(async () => {
    await backend.prepare?.();
  });
  beforeEach(async () => {
    fixture = await backend.create();
  });
  afterEach(async () => {
    await fixture?.teardown();
    fixture = null;
  });
  const current = (): DatabaseFixture => {
    if (!fixture) throw new Error('no database fixture: use inside a test');
    return fixture;
  };
  return {
    get db() {
      return current().db;
    },
    get reads() {
      return current().reads;
    },
    openAnother: () => current().openAnother(),
  };
}

export interface KvBackend {
  name: string;
  skip: boolean;
  create(): Promise<{ kv: KeyValueStore; teardown(): Promise<void> }>;
}

const memoryKv: KvBackend = {
  name: 'memory',
  skip: false,
  async create() {
    const kv = createMemoryKeyValueStore();
    return { kv, teardown: () => kv.close() };
  },
};

const redisKv: KvBackend = {
  name: 'redis',
  skip: !redisUrl,
  async create() {
    // A prefix per test: cleanup deletes only this test's keys, never the rest of the db.
    const prefix = `xieshang-test:${randomUUID()}:`;
    const kv = createRedisKeyValueStore(redisUrl, { keyPrefix: prefix });
    return {
      kv,
      async teardown() {
        await kv.close();
        await deleteRedisKeys(redisUrl, `${prefix}*`);
      },
    };
  },
};

export const kvBackends: readonly KvBackend[] = [memoryKv, redisKv];

/** Registers the per-test hooks of one key-value backend's describe block; read `.kv` inside tests. */
export function useKeyValueStore(backend: KvBackend): { readonly kv: KeyValueStore } {
  let fixture: { kv: KeyValueStore; teardown(): Promise<void> } | null = null;
  beforeEach(async () => {
    fixture = await backend.create();
  });
  afterEach(async () => {
    await fixture?.teardown();
    fixture = null;
  });
  return {
    get kv() {
      if (!fixture) throw new Error('no key-value fixture: use inside a test');
      return fixture.kv;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
