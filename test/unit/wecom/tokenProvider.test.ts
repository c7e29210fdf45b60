import { describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../../src/wecom/api/tokenProvider.js';
import type { HttpTransport } from '../../../src/wecom/api/transport.js';
import { WecomApiError } from '../../../src/wecom/errors.js';
import { systemClock } from '../../../src/shared/clock.js';
import { memoryCache } from './memoryCache.js';

const TOKEN_KEY = 'wecom:token:ww1:1000002';
const LOCK_KEY = 'wecom:token-refresh:ww1:1000002';

function stubTransport(opts: { delayMs?: number; answer?: (n: number) => unknown } = {}) {
  const calls: string[] = [];
  const transport: HttpTransport = async (req) => {
    calls.push(req.url);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 10));
    const n = calls.length;
    return {
      status: 200,
      body: opts.answer
        ? opts.answer(n)
        : { errcode: 0, errmsg: 'ok', access_token: `tok-${n}`, expires_in: 7200 },
    };
  };
  return { transport, calls };
}

function provider(transport: HttpTransport, cache = memoryCache(), extra: { lockWaitMs?: number } = {}) {
  return createTokenProvider({
    apiBase: 'https://qyapi.example',
    corpId: 'ww1',
    secret: 's3cret',
    agentId: 1000002,
    transport,
    cache,
    clock: systemClock,
    ...extra,
  });
}

describe('createTokenProvider', () => {
  it('single flight: 20 concurrent getToken → 1 gettoken, all get the same token', async () => {
    const { transport, calls } = stubTransport();
    const p = provider(transport);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => p.getToken()));
    expect(calls).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    expect(calls[0]).toBe('https://qyapi.example/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cret');
  });

  it('caches under wecom:token:{corp}:{agent} with TTL = 80% of expires_in, and reuses it', async () => {
    const { transport, calls } = stubTransport();
    const cache = memoryCache();
    const p = provider(transport, cache);
    await p.getToken();
    await p.getToken();
    expect(calls).toHaveLength(1);
    expect(cache.sets).toEqual([{ key: TOKEN_KEY, ttlMs: 5_760_000 }]);
    expect(cache.data.has(LOCK_KEY)).toBe(false);
  });

  it('across processes: two providers sharing a cache call gettoken once', async () => {
    const { transport, calls } = stubTransport({ delayMs: 60 });
    const cache = memoryCache();
    const [a, b] = [provider(transport, cache), provider(transport, cache)];
    const tokens = await Promise.all([a.getToken(), b.getToken(), a.getToken(), b.getToken()]);
    expect(calls).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
  });

  it('a waiter polls the cache while another process holds the refresh lock', async () => {
    const { transport, calls } = stubTransport();
    const cache = memoryCache();
    await cache.setIfAbsent(LOCK_KEY, 'other-process', 10_000);
    const pending = provider(transport, cache).getToken();
    await new Promise((r) => setTimeout(r, 120));
    await cache.set(TOKEN_KEY, 'tok-from-other', 60_000);
    expect(await pending).toBe('tok-from-other');
    expect(calls).toHaveLength(0);
  });

  it('a stuck lock holder delays but does not block: after the wait it fetches itself', async () => {
    const { transport, calls } = stubTransport();
    const cache = memoryCache();
    await cache.setIfAbsent(LOCK_KEY, 'dead-process', 10_000);
    expect(await provider(transport, cache, { lockWaitMs: 150 }).getToken()).toBe('tok-1');
    expect(calls).toHaveLength(1);
  });

  it('invalidate is compare-and-delete', async () => {
    const { transport, calls } = stubTransport();
    const cache = memoryCache();
    const p = provider(transport, cache);
    const first = await p.getToken();
    await cache.set(TOKEN_KEY, 'tok-fresh-from-elsewhere', 60_000);
    await p.invalidate(first);
    expect(await cache.get(TOKEN_KEY)).toBe('tok-fresh-from-elsewhere');
    await p.invalidate('tok-fresh-from-elsewhere');
    expect(await cache.get(TOKEN_KEY)).toBeNull();
    expect(await p.getToken()).toBe('tok-2');
    expect(calls).toHaveLength(2);
  });

  it('gettoken errors become WecomApiError, release the lock, and are not cached', async () => {
    const { transport } = stubTransport({
      answer: (n) =>
        n === 1
          ? { errcode: 40001, errmsg: 'invalid credential' }
          : { errcode: 0, errmsg: 'ok', access_token: 'tok-ok', expires_in: 7200 },
    });
    const cache = memoryCache();
    const p = provider(transport, cache);
    const err = await p.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect(err).toMatchObject({ path: 'gettoken', errcode: 40001 });
    expect(cache.data.has(LOCK_KEY)).toBe(false);
    expect(await p.getToken()).toBe('tok-ok');
  });

  it('a malformed gettoken answer is an error, not a cached "undefined"', async () => {
    const { transport } = stubTransport({ answer: () => ({ errcode: 0, errmsg: 'ok' }) });
    const cache = memoryCache();
    await expect(provider(transport, cache).getToken()).rejects.toBeInstanceOf(WecomApiError);
    expect(cache.data.has(TOKEN_KEY)).toBe(false);
  });
});
