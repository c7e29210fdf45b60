import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/shared/errors.js';
import { createRedisKeyValueStore } from '../../src/store/redis/redisKeyValueStore.js';
import { databaseBackends, kvBackends, useDatabase, useKeyValueStore } from './backends.js';
import { testSqlite, testMysql } from '../support/testDatabase.js';

const envelope = { dedupKey: 'x', userId: 'u', kind: 'text', encrypted: 'e', receivedAt: new Date() };

// These need no server: a closed port answers ECONNREFUSED at once.
describe('stores that cannot be reached fail fast with StoreUnavailableError', () => {
  it('mysql on a closed port', async () => {
    const started = Date.now();
    await expect(testMysql('mysql://root@127.0.0.1:1/x')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('mysql that accepts the connection but never answers (hung server)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        testMysql(`mysql://root@127.0.0.1:${port}/x`, { connectTimeoutMs: 500 }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('redis on a closed port', async () => {
    const kv = createRedisKeyValueStore('redis://127.0.0.1:1/0');
    try {
      const started = Date.now();
      await expect(kv.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(kv.setIfAbsent('k', 'v', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await kv.close();
    }
  });

  it('sqlite locked by another connection past busy_timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xieshang-busy-'));
    const file = join(dir, 'x.db');
    const db = testSqlite(file, { busyTimeoutMs: 50 });
    const other = new BetterSqlite3(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      await expect(db.inbox.add(envelope)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(db.commit([{ type: 'inbox.done', id: 1, at: new Date() }])).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      other.exec('ROLLBACK');
      expect(await db.inbox.add(envelope)).toBe('stored');
    } finally {
      other.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`closed Database: ${backend.name}`, () => {
    const ctx = useDatabase(backend);
    it('answers ping while open, then throws StoreUnavailableError once closed', async () => {
      await expect(ctx.db.ping()).resolves.toBeUndefined();
      await ctx.db.close();
      await expect(ctx.db.inbox.add(envelope)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(ctx.db.commit([])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(ctx.db.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await ctx.db.close(); // idempotent
    });
  });
}

for (const backend of kvBackends) {
  describe.skipIf(backend.skip)(`closed KeyValueStore: ${backend.name}`, () => {
    const ctx = useKeyValueStore(backend);
    it('throws StoreUnavailableError once closed', async () => {
      await expect(ctx.kv.ping()).resolves.toBeUndefined();
      await ctx.kv.close();
      await expect(ctx.kv.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      await ctx.kv.close(); // idempotent
    });
  });
}
