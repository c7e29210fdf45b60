import { Redis } from 'ioredis';
import type { KeyValueStore } from '../../core/ports.js';
import { StoreUnavailableError, errorMessage } from '../../shared/errors.js';
import { validTtl } from '../validTtl.js';

export interface RedisKeyValueOptions {
  /** Prepended to every key (e.g. `xieshang:`), so several apps or test runs can share one Redis db. */
  keyPrefix?: string;
  /** A command not answered within this many ms fails with StoreUnavailableError. Default 500. */
  commandTimeoutMs?: number;
}

// Compare-and-delete / compare-and-expire / incr-with-TTL must be atomic: a GET then DEL from the client could
// delete a lock that expired and was taken by someone else in between.
const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
// The TTL is set only when INCR created the key, so a fixed window is not extended by every hit.
const INCR_WITH_TTL = `local existed = redis.call('EXISTS', KEYS[1])
local v = redis.call('INCR', KEYS[1])
if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return v`;

// Server replies that mean "not now" rather than "wrong command".
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * The production KeyValueStore. Fails fast instead of queueing: the offline queue is off (a queued SET NX sent
 * after its caller timed out would take a lock nobody holds), a command times out after ~500 ms, and until the
 * connection is ready a call waits at most one command timeout (none while reconnecting). Every such failure is StoreUnavailableError.
 */
export function createRedisKeyValueStore(url: string, options: RedisKeyValueOptions = {}): KeyValueStore {
  const prefix = options.keyPrefix ?? '';
  const commandTimeout = options.commandTimeoutMs ?? 500;
  const connectTimeout = 1000;
  const client = new Redis(url, {
    commandTimeout,
    connectTimeout,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Keep reconnecting in the background (capped back-off); calls meanwhile fail fast.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastError: unknown = null;
  // Without a listener an unreachable Redis would crash the process with an unhandled 'error' event.
  client.on('error', (err: unknown) => {
    lastError = err;
  });
  let closed = false;
  let readyWait: Promise<void> | null = null;

  function whenReady(): Promise<void> {
    if (closed || client.status === 'end')
      return Promise.reject(new StoreUnavailableError('redis client is closed'));
    if (client.status === 'ready') return Promise.resolve();
    // Already failed and retrying in the background: fail now rather than make every caller wait.
    if (client.status === 'reconnecting') {
      return Promise.reject(
        new StoreUnavailableError(
          `redis unavailable: ${lastError ? errorMessage(lastError) : 'reconnecting'}`,
          lastError,
        ),
      );
    }
    // First connect still in progress (process start): wait a little, bounded like a command.
    readyWait ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('ready', onReady);
        readyWait = null;
        reject(
          new StoreUnavailableError(
            `redis not ready: ${lastError ? errorMessage(lastError) : client.status}`,
            lastError,
          ),
        );
      }, commandTimeout);
      function onReady(): void {
        clearTimeout(timer);
        readyWait = null;
        resolve();
      }
      client.once('ready', onReady);
    });
    return readyWait;
  }

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    await whenReady();
    try {
      return await fn();
    } catch (err) {
      // ReplyError: the server answered and refused (WRONGTYPE, not an integer…): a bug, not an outage.
      if (err instanceof Error && err.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(err.message))
        throw err;
      throw new StoreUnavailableError(`redis unavailable: ${errorMessage(err)}`, err);
    }
  }

  const k = (key: string): string => prefix + key;

  return {
    get: (key) => run(() => client.get(k(key))),
    set: (key, value, ttlMs) =>
      run(async () => {
        if (ttlMs === undefined) await client.set(k(key), value);
        else await client.set(k(key), value, 'PX', validTtl(ttlMs));
      }),
    setIfAbsent: (key, value, ttlMs) =>
      run(async () => (await client.set(k(key), value, 'PX', validTtl(ttlMs), 'NX')) === 'OK'),
    del: (key) =>
      run(async () => {
        await client.del(k(key));
      }),
    deleteIfEquals: (key, value) =>
      run(async () => Number(await client.eval(DELETE_IF_EQUALS, 1, k(key), value)) === 1),
    expireIfEquals: (key, value, ttlMs) =>
      run(async () => Number(await client.eval(EXPIRE_IF_EQUALS, 1, k(key), value, validTtl(ttlMs))) === 1),
    incr: (key, ttlMs) =>
      run(async () => Number(await client.eval(INCR_WITH_TTL, 1, k(key), validTtl(ttlMs)))),
    ping: () =>
      run(async () => {
        await client.ping();
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}
