import { describe, expect, it } from 'vitest';
import { kvBackends, sleep, useKeyValueStore } from './backends.js';

// Real time on every backend (Redis expires on its own clock). TTLs are short, waits leave a wide margin.
const SHORT = 60;
const PAST_SHORT = 200;

for (const backend of kvBackends) {
  describe.skipIf(backend.skip)(`KeyValueStore contract: ${backend.name}`, () => {
    const ctx = useKeyValueStore(backend);

    it('gets what was set, null for a missing key, and deletes', async () => {
      expect(await ctx.kv.get('missing')).toBeNull();
      await ctx.kv.set('k', '提案😀');
      expect(await ctx.kv.get('k')).toBe('提案😀');
      await ctx.kv.set('k', 'v2');
      expect(await ctx.kv.get('k')).toBe('v2');
      await ctx.kv.del('k');
      expect(await ctx.kv.get('k')).toBeNull();
      await ctx.kv.del('never-set');
    });

    it('expires a key set with a TTL; set without TTL clears an earlier TTL', async () => {
      await ctx.kv.set('ttl', 'v', SHORT);
      await ctx.kv.set('persist', 'v', SHORT);
      await ctx.kv.set('persist', 'v2');
      expect(await ctx.kv.get('ttl')).toBe('v');
      await sleep(PAST_SHORT);
      expect(await ctx.kv.get('ttl')).toBeNull();
      expect(await ctx.kv.get('persist')).toBe('v2');
    });

    it('setIfAbsent creates only when absent, and again after expiry', async () => {
      expect(await ctx.kv.setIfAbsent('nx', 'a', SHORT)).toBe(true);
      expect(await ctx.kv.setIfAbsent('nx', 'b', SHORT)).toBe(false);
      expect(await ctx.kv.get('nx')).toBe('a');
      await sleep(PAST_SHORT);
      expect(await ctx.kv.setIfAbsent('nx', 'c', 10_000)).toBe(true);
      expect(await ctx.kv.get('nx')).toBe('c');
    });

    it('setIfAbsent lets exactly one of 10 concurrent callers win', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => ctx.kv.setIfAbsent('race', `v${i}`, 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('deleteIfEquals deletes only on a matching value', async () => {
      await ctx.kv.set('cad', 'mine');
      expect(await ctx.kv.deleteIfEquals('cad', 'theirs')).toBe(false);
      expect(await ctx.kv.get('cad')).toBe('mine');
      expect(await ctx.kv.deleteIfEquals('cad', 'mine')).toBe(true);
      expect(await ctx.kv.get('cad')).toBeNull();
      expect(await ctx.kv.deleteIfEquals('cad', 'mine')).toBe(false);
    });

    it('expireIfEquals sets a new TTL only on a matching value', async () => {
      await ctx.kv.set('cae', 'mine', SHORT);
      await ctx.kv.set('other', 'x', SHORT);
      expect(await ctx.kv.expireIfEquals('cae', 'mine', 10_000)).toBe(true);
      expect(await ctx.kv.expireIfEquals('other', 'not-x', 10_000)).toBe(false);
      expect(await ctx.kv.expireIfEquals('missing', 'x', 10_000)).toBe(false);
      await sleep(PAST_SHORT);
      expect(await ctx.kv.get('cae')).toBe('mine');
      expect(await ctx.kv.get('other')).toBeNull();
      // And it can shorten a TTL too.
      expect(await ctx.kv.expireIfEquals('cae', 'mine', SHORT)).toBe(true);
      await sleep(PAST_SHORT);
      expect(await ctx.kv.get('cae')).toBeNull();
    });

    it('incr counts from 1, sets the TTL when it creates the counter, and does not extend it', async () => {
      expect(await ctx.kv.incr('hits', 150)).toBe(1);
      expect(await ctx.kv.incr('hits', 150)).toBe(2);
      await sleep(90);
      // A fixed window: this hit must not push the expiry out by another 150 ms.
      expect(await ctx.kv.incr('hits', 150)).toBe(3);
      expect(await ctx.kv.get('hits')).toBe('3');
      await sleep(150);
      expect(await ctx.kv.get('hits')).toBeNull();
      expect(await ctx.kv.incr('hits', 150)).toBe(1);
    });

    it('incr is atomic under concurrency', async () => {
      const values = await Promise.all(Array.from({ length: 20 }, () => ctx.kv.incr('n', 10_000)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('rejects a non-positive TTL instead of storing a key that never expires', async () => {
      await expect(ctx.kv.set('bad', 'v', 0)).rejects.toThrow();
      await expect(ctx.kv.setIfAbsent('bad', 'v', -1)).rejects.toThrow();
      expect(await ctx.kv.get('bad')).toBeNull();
    });
  });
}
