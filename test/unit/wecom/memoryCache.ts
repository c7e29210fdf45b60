import type { TokenCache } from '../../../src/wecom/api/tokenProvider.js';

/** A tiny in-memory TokenCache with real TTLs, plus a log of writes for assertions. */
export function memoryCache(): TokenCache & {
  data: Map<string, { value: string; until: number }>;
  sets: Array<{ key: string; ttlMs: number | undefined }>;
} {
  const data = new Map<string, { value: string; until: number }>();
  const sets: Array<{ key: string; ttlMs: number | undefined }> = [];
  const live = (key: string) => {
    const e = data.get(key);
    if (e && e.until <= Date.now()) data.delete(key);
    return data.get(key) ?? null;
  };
  return {
    data,
    sets,
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      sets.push({ key, ttlMs });
      data.set(key, { value, until: ttlMs === undefined ? Infinity : Date.now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      data.set(key, { value, until: Date.now() + ttlMs });
      return true;
    },
    async deleteIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      data.delete(key);
      return true;
    },
  };
}
