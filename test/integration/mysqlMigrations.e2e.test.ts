import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger, startServer } from '../../src/main.js';
import { migrateMysql, pendingMysqlMigrations } from '../../src/store/mysql/mysqlDatabase.js';
import { makeEnv } from './harness.js';

const shared = process.env.TEST_DATABASE_URL;

/** A database of its own, next to this worker's: created empty, dropped afterwards. */
function freshUrl(): string {
  const url = new URL(shared!);
  url.pathname = `${url.pathname}_mig`;
  return url.toString();
}

async function onServer(sql: string): Promise<void> {
  const server = new URL(shared!);
  server.pathname = '/';
  const conn = await createConnection({ uri: server.toString() });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

describe.skipIf(!shared)('a MySQL database behind the code’s migrations', () => {
  const url = shared ? freshUrl() : '';
  const name = shared ? new URL(url).pathname.slice(1) : '';
  let dataDir = '';
  afterEach(async () => {
    await onServer(`DROP DATABASE IF EXISTS \`${name}\``);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused at start with what to run; once migrated the server starts', async () => {
    await onServer(`DROP DATABASE IF EXISTS \`${name}\``);
    await onServer(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    const all = await pendingMysqlMigrations(url);
    expect(all).toBeGreaterThanOrEqual(8);

    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-mig-'));
    const config = loadConfig(
      makeEnv({ name: 'mysql', databaseUrl: url, redisUrl: null }, dataDir, 'http://127.0.0.1:9'),
    );
    await expect(startServer(config, { logger: createLogger('silent') })).rejects.toThrow(
      `MySQL 数据库还有 ${all} 个迁移未执行：请先运行 npm run db:migrate`,
    );

    await migrateMysql(url);
    expect(await pendingMysqlMigrations(url)).toBe(0);
    const server = await startServer(config, { logger: createLogger('silent') });
    await server.stop();
  });
});
