import { Redis } from 'ioredis';

/**
 * Deletes the keys of `url` that match `pattern`, within the URL's `keyPrefix` (test/workerStorage.ts gives each
 * test worker its own prefix that way, which ioredis applies to every command it sends, but not to SCAN patterns
 * nor to the names SCAN returns): so this worker's keys only, never another worker's.
 */
export async function deleteRedisKeys(url: string, pattern = '*'): Promise<void> {
  const unprefixed = new URL(url);
  const prefix = unprefixed.searchParams.get('keyPrefix') ?? '';
  unprefixed.searchParams.delete('keyPrefix');
  const raw = new Redis(unprefixed.toString(), { lazyConnect: true });
  await raw.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 500);
      if (keys.length > 0) await raw.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await raw.quit();
  }
}
