import { randomBytes } from 'node:crypto';
import type { KeyValueStore, Lock } from '../core/ports.js';

/**
 * A Lock over any KeyValueStore (Redis in production, the in-process Map when embedded). The random token makes
 * release and extend safe: a holder whose lock expired and was taken by another cannot release or extend the
 * new holder's lock, because compare-and-delete / compare-and-expire check the token atomically.
 */
export function createKvLock(kv: KeyValueStore): Lock {
  return {
    async acquire(key, ttlMs) {
      const token = randomBytes(16).toString('hex');
      return (await kv.setIfAbsent(key, token, ttlMs)) ? token : null;
    },
    extend: (key, token, ttlMs) => kv.expireIfEquals(key, token, ttlMs),
    async release(key, token) {
      await kv.deleteIfEquals(key, token);
    },
  };
}
