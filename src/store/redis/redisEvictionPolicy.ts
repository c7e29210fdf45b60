import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorMessage } from '../../shared/errors.js';

/**
 * Redis holds leases (a member's conversation lock, the 微信客服 pull lock, claimed sends), the 45009 pause and the
 * marks of 微信客服 parts already sent: all with a TTL, so under any `volatile-*` or `allkeys-*` policy Redis may evict
 * them when it runs out of memory, and an evicted lock lets two processes answer one member at once, an evicted
 * part mark sends a part twice. Only `noeviction` (writes fail when full, which the app sees as an outage) keeps
 * them. So start-up refuses any other policy. A Redis that refuses CONFIG (managed services often do) cannot be
 * checked: logged, not fatal; nor is a Redis that is down at start (the app runs without it, retrying).
 */
export async function assertRedisKeepsKeys(url: string, logger: Logger): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  let policy: string | null;
  try {
    await client.connect();
  } catch (err) {
    logger.warn({ err: errorMessage(err) }, 'redis unreachable at start: maxmemory-policy not checked');
    client.disconnect();
    return;
  }
  try {
    const reply = (await client.config('GET', 'maxmemory-policy')) as unknown;
    policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
  } catch (err) {
    logger.warn(
      { err: errorMessage(err) },
      'redis refused CONFIG GET maxmemory-policy: make sure it is noeviction, or locks may be evicted',
    );
    return;
  } finally {
    client.disconnect();
  }
  if (policy !== null && policy !== 'noeviction')
    throw new Error(
      `Redis maxmemory-policy is ${policy}: set it to noeviction (redis.conf "maxmemory-policy noeviction" or ` +
        `CONFIG SET maxmemory-policy noeviction). Redis holds this app's locks, which must not be evicted.`,
    );
}
