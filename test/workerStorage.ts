/**
 * Runs in every contract and server test file before it loads (vitest `setupFiles`): points TEST_DATABASE_URL and
 * TEST_REDIS_URL at storage of this worker's own, so files running in parallel never see each other's rows or keys
 * (the suites empty their tables and delete their Redis keys before each test). Two files never run at the same time
 * with the same VITEST_POOL_ID, so one database and one Redis key prefix per pool id is enough:
 *   - MariaDB: `<database of TEST_DATABASE_URL>_w<pool id>`, created here on first use (the suites migrate it);
 *   - Redis: the db of TEST_REDIS_URL, with the key prefix `xieshang-w<pool id>:` as the URL's `keyPrefix` option,
 *     which ioredis reads from the URL and applies to every command, in the tests and in the servers they start;
 *     the suites clear only their prefix (test/redisKeys.ts).
 */
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

const poolId = Number(process.env.VITEST_POOL_ID ?? '1');
if (!Number.isInteger(poolId) || poolId < 1)
  throw new Error(`unexpected VITEST_POOL_ID ${process.env.VITEST_POOL_ID}`);

// The configured URLs, kept aside so that a worker reused for another file does not derive from a derived URL.
process.env.TEST_DATABASE_URL_SHARED ??= process.env.TEST_DATABASE_URL ?? '';
process.env.TEST_REDIS_URL_SHARED ??= process.env.TEST_REDIS_URL ?? '';
const sharedDatabaseUrl = process.env.TEST_DATABASE_URL_SHARED;
const sharedRedisUrl = process.env.TEST_REDIS_URL_SHARED;

if (sharedDatabaseUrl) {
  const url = new URL(sharedDatabaseUrl);
  const base = decodeURIComponent(url.pathname.slice(1));
  if (!/^\w+$/.test(base)) throw new Error(`TEST_DATABASE_URL must name a database ([A-Za-z0-9_]+): ${base}`);
  const database = `${base}_w${poolId}`;
  url.pathname = `/${database}`;
  const server = new URL(sharedDatabaseUrl);
  server.pathname = '/';
  const conn = await createConnection({ uri: server.toString() });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await conn.end();
  }
  process.env.TEST_DATABASE_URL = url.toString();
}

if (sharedRedisUrl) {
  const url = new URL(sharedRedisUrl);
  const keyPrefix = `xieshang-w${poolId}:`;
  url.searchParams.set('keyPrefix', keyPrefix);
  // Isolation rests on ioredis reading the option from the URL: fail here, not with workers clearing each other.
  const probe = new Redis(url.toString(), { lazyConnect: true });
  const honoured = probe.options.keyPrefix === keyPrefix;
  probe.disconnect();
  if (!honoured)
    throw new Error('ioredis ignored keyPrefix in the URL: the test workers would share their keys');
  process.env.TEST_REDIS_URL = url.toString();
}
