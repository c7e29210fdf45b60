import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { makeEnv } from './harness.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';

/**
 * Reliability plan F4: Redis holds leases and sent-part marks (all with a TTL), which a `volatile-*` or `allkeys-*`
 * policy may evict under memory pressure; an evicted lock lets two processes answer one member at once. So the
 * server refuses to start on any policy but noeviction. (The plan's BullMQ half does not apply: no queue lives in
 * Redis.) A Redis of the test's own, so the shared one is never reconfigured.
 */
describe.skipIf(!process.env.TEST_REDIS_URL)('F4: Redis maxmemory-policy checked at start', () => {
  let redis: PrivateRedis | undefined;
  let fake: FakeWecomApi | undefined;
  let server: RunningServer | undefined;
  let dataDir = '';
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await fake?.close();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on allkeys-lru or volatile-lru, naming the fix; starts on noeviction', async () => {
    redis = await startPrivateRedis();
    fake = await startFakeWecomApi({ corpId: 'wwe2etestcorp0001', secret: 'e2e-secret-value-0123456789' });
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-f4-'));
    const config = loadConfig(
      makeEnv({ name: 'sqlite+redis', databaseUrl: null, redisUrl: redis.url }, dataDir, fake.url),
    );
    const logger = createLogger('silent');

    for (const policy of ['allkeys-lru', 'volatile-lru']) {
      await redis.configSet('maxmemory-policy', policy);
      await expect(startServer(config, { logger })).rejects.toThrow(
        new RegExp(`maxmemory-policy is ${policy}: set it to noeviction`),
      );
    }
    await redis.configSet('maxmemory-policy', 'noeviction');
    server = await startServer(config, { logger });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', keyValueStore: true });
  }, 60_000);
});
