import { describe, expect, it } from 'vitest';
import type { Lock } from '../../src/core/ports.js';
import { createKvLock } from '../../src/store/kvLock.js';
import { kvBackends, sleep, useKeyValueStore } from './backends.js';

for (const backend of kvBackends) {
  describe.skipIf(backend.skip)(`Lock contract (kvLock over ${backend.name})`, () => {
    const ctx = useKeyValueStore(backend);
    const lock = (): Lock => createKvLock(ctx.kv);

    it('is exclusive until released', async () => {
      const l = lock();
      const token = await l.acquire('conv:u1', 10_000);
      expect(token).toEqual(expect.any(String));
      expect(await l.acquire('conv:u1', 10_000)).toBeNull();
      expect(await l.acquire('conv:u2', 10_000)).toEqual(expect.any(String));
      await l.release('conv:u1', token!);
      const next = await l.acquire('conv:u1', 10_000);
      expect(next).toEqual(expect.any(String));
      expect(next).not.toBe(token);
    });

    it('gives the lock to exactly one of 10 concurrent acquirers', async () => {
      const l = lock();
      const tokens = await Promise.all(Array.from({ length: 10 }, () => l.acquire('conv:race', 10_000)));
      expect(tokens.filter((t) => t !== null)).toHaveLength(1);
    });

    it('ignores release and extend with a wrong token', async () => {
      const l = lock();
      const token = await l.acquire('conv:u1', 10_000);
      await l.release('conv:u1', 'not-the-token');
      expect(await l.acquire('conv:u1', 10_000)).toBeNull();
      expect(await l.extend('conv:u1', 'not-the-token', 10_000)).toBe(false);
      expect(await l.extend('conv:u1', token!, 10_000)).toBe(true);
    });

    it('is freed by expiry, and the old holder cannot release the new holder’s lock', async () => {
      const l = lock();
      const old = await l.acquire('conv:u1', 60);
      await sleep(200);
      const fresh = await l.acquire('conv:u1', 10_000);
      expect(fresh).toEqual(expect.any(String));
      await l.release('conv:u1', old!);
      expect(await l.extend('conv:u1', old!, 10_000)).toBe(false);
      expect(await l.acquire('conv:u1', 10_000)).toBeNull();
    });

    it('extend keeps the lock past its first TTL; after expiry extend fails', async () => {
      const l = lock();
      const token = await l.acquire('conv:u1', 100);
      expect(await l.extend('conv:u1', token!, 10_000)).toBe(true);
      await sleep(250);
      expect(await l.acquire('conv:u1', 10_000)).toBeNull();
      expect(await l.extend('conv:u1', token!, 60)).toBe(true);
      await sleep(200);
      expect(await l.extend('conv:u1', token!, 10_000)).toBe(false);
      expect(await l.acquire('conv:u1', 10_000)).toEqual(expect.any(String));
    });
  });
}
