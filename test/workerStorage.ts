/**
 * Runs in every contract and server test file before it loads (vitest `setupFiles`): points TEST_DATABASE_URL and
 * TEST_REDIS_URL at storage of this worker's own, so files running in parallel never see each other's rows or keys
 * (the suites empty their tables and flush their Redis db before each test). Two files never run at the same time
 * with the same VITEST_POOL_ID, so one database and one Redis db per pool id is enough:
 *   - MariaDB: `<database of TEST_DATABASE_URL>_w<pool id>`, created here on first use (the suites migrate it);
 *   - Redis: the db index of TEST_REDIS_URL for worker 1, the next ones for the other workers (counting down
 *     from the base instead when counting up would pass 15).
 */
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
  const base = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(base) || base < 0 || base > 15)
    throw new Error(`TEST_REDIS_URL: bad db index ${url.pathname}`);
  const index = base + poolId - 1 <= 15 ? base + poolId - 1 : base - (poolId - 1);
  if (index < 0) throw new Error(`no Redis db index left for worker ${poolId} (base ${base})`);
  url.pathname = `/${index}`;
  process.env.TEST_REDIS_URL = url.toString();
}
