import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import { sleep } from '../../shared/clock.js';
import { WecomApiError } from '../errors.js';
import type { HttpTransport } from './transport.js';

/**
 * access_token handling (doc 91039): one cached token per (corp, agent) shared by every
 * process, refreshed by one caller at a time, and dropped only if it is still the token that failed.
 */

/** The part of the app's key-value store (Redis or in-memory) this needs; declared here so wecom/ imports no app code. */
export interface TokenCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  deleteIfEquals(key: string, value: string): Promise<boolean>;
}

export interface TokenProvider {
  /** A token believed valid; fetches one through gettoken when none is cached. */
  getToken(): Promise<string>;
  /** Forget `badToken` (after 40001/40014/42001), unless another caller already replaced it. */
  invalidate(badToken: string): Promise<void>;
}

export interface TokenProviderOptions {
  apiBase: string;
  corpId: string;
  secret: string;
  agentId: number | string;
  transport: HttpTransport;
  cache: TokenCache;
  clock: Clock;
  timeoutMs?: number;
  /** How long to wait for another process's refresh before fetching anyway (default 10 s). */
  lockWaitMs?: number;
  pollIntervalMs?: number;
}

/** Refresh early: WeCom may end a token before expires_in, and clocks between processes drift. */
const TTL_FRACTION = 0.8;
const LOCK_TTL_MS = 10_000;

const gettokenResponse = z.object({
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
});

export function createTokenProvider(opts: TokenProviderOptions): TokenProvider {
  const tokenKey = `wecom:token:${opts.corpId}:${opts.agentId}`;
  const lockKey = `wecom:token-refresh:${opts.corpId}:${opts.agentId}`;
  const lockWaitMs = opts.lockWaitMs ?? LOCK_TTL_MS;
  const pollIntervalMs = opts.pollIntervalMs ?? 50;
  // In-process single flight: concurrent callers share one promise, so 20 callers cost one cache miss at most.
  let inflight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const url = new URL(`${opts.apiBase}/cgi-bin/gettoken`);
    url.searchParams.set('corpid', opts.corpId);
    url.searchParams.set('corpsecret', opts.secret);
    const res = await opts.transport({
      method: 'GET',
      url: url.toString(),
      timeoutMs: opts.timeoutMs ?? 5_000,
    });
    const parsed = gettokenResponse.safeParse(res.body);
    if (!parsed.success)
      throw new WecomApiError({ path: 'gettoken', errcode: -1, errmsg: 'unexpected response shape' });
    const { errcode = 0, errmsg = '', access_token: token, expires_in: expiresIn } = parsed.data;
    if (errcode !== 0) throw new WecomApiError({ path: 'gettoken', errcode, errmsg });
    if (!token)
      throw new WecomApiError({ path: 'gettoken', errcode: -1, errmsg: 'no access_token in response' });
    const ttlMs = Math.max(1_000, Math.floor((expiresIn ?? 7200) * 1000 * TTL_FRACTION));
    await opts.cache.set(tokenKey, token, ttlMs);
    return token;
  }

  /** Fetch while holding the cross-process refresh lock; null when someone else holds it. */
  async function fetchIfLockHolder(): Promise<string | null> {
    const lockValue = randomBytes(16).toString('hex');
    if (!(await opts.cache.setIfAbsent(lockKey, lockValue, LOCK_TTL_MS))) return null;
    try {
      // The previous holder may have stored a token between our miss and our lock.
      return (await opts.cache.get(tokenKey)) ?? (await fetchToken());
    } finally {
      await opts.cache.deleteIfEquals(lockKey, lockValue);
    }
  }

  async function load(): Promise<string> {
    const cached = await opts.cache.get(tokenKey);
    if (cached) return cached;
    const fetched = await fetchIfLockHolder();
    if (fetched !== null) return fetched;
    // Another process is refreshing: wait for its token instead of calling gettoken too (frequency-limited).
    const deadline = opts.clock.now().getTime() + lockWaitMs;
    const maxPolls = Math.ceil(lockWaitMs / pollIntervalMs);
    for (let i = 0; i < maxPolls && opts.clock.now().getTime() < deadline; i++) {
      await sleep(pollIntervalMs);
      const token = await opts.cache.get(tokenKey);
      if (token) return token;
      // The holder failed or died and released the lock: take over rather than wait out the window.
      const taken = await fetchIfLockHolder();
      if (taken !== null) return taken;
    }
    // The holder is stuck; a duplicate gettoken is better than no token.
    return fetchToken();
  }

  return {
    getToken() {
      inflight ??= load().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    async invalidate(badToken) {
      // Compare-and-delete: a plain delete could drop a fresh token another caller has just stored.
      await opts.cache.deleteIfEquals(tokenKey, badToken);
    },
  };
}
