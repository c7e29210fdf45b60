import type { KeyValueStore } from '../../core/ports.js';
import { StoreUnavailableError } from '../../shared/errors.js';
import { validTtl } from '../validTtl.js';

interface Entry {
  value: string;
  /** Epoch ms, or null for no expiry. */
  expiresAt: number | null;
}

// Expired entries are dropped when read; a sweep every so many writes bounds memory for keys never read again
// (per-minute rate-limit counters, released locks' neighbours).
const SWEEP_EVERY_WRITES = 1000;

/**
 * The embedded-mode KeyValueStore: one process, so a Map gives the same atomicity Redis gives with SET NX / Lua.
 * Mirrors Redis semantics where the contract suite can observe them: `set` without TTL clears an existing TTL,
 * `incr` keeps the TTL of an existing counter, values are strings, a closed store throws StoreUnavailableError.
 */
export function createMemoryKeyValueStore(clock: { now(): Date } = { now: () => new Date() }): KeyValueStore {
  const map = new Map<string, Entry>();
  let writes = 0;
  let closed = false;

  const nowMs = (): number => clock.now().getTime();

  function check(): void {
    if (closed) throw new StoreUnavailableError('memory key-value store is closed');
  }

  function live(key: string): Entry | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= nowMs()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  function put(key: string, value: string, ttlMs: number | undefined): void {
    map.set(key, { value, expiresAt: ttlMs === undefined ? null : nowMs() + validTtl(ttlMs) });
    if (++writes % SWEEP_EVERY_WRITES === 0) sweep();
  }

  function sweep(): void {
    const now = nowMs();
    for (const [key, entry] of map) if (entry.expiresAt !== null && entry.expiresAt <= now) map.delete(key);
  }

  return {
    async get(key) {
      check();
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      check();
      put(key, value, ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      check();
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async del(key) {
      check();
      map.delete(key);
    },
    async deleteIfEquals(key, value) {
      check();
      if (live(key)?.value !== value) return false;
      map.delete(key);
      return true;
    },
    async expireIfEquals(key, value, ttlMs) {
      check();
      const entry = live(key);
      if (entry?.value !== value) return false;
      entry.expiresAt = nowMs() + validTtl(ttlMs);
      return true;
    },
    async incr(key, ttlMs) {
      check();
      const entry = live(key);
      if (!entry) {
        put(key, '1', ttlMs);
        return 1;
      }
      const current = Number(entry.value);
      // Redis: "ERR value is not an integer or out of range".
      if (!Number.isSafeInteger(current) || !/^-?\d+$/.test(entry.value))
        throw new Error(`value at ${key} is not an integer`);
      entry.value = String(current + 1);
      return current + 1;
    },
    async ping() {
      check();
    },
    async close() {
      closed = true;
      map.clear();
    },
  };
}
