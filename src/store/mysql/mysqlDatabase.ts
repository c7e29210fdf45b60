import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../migrationsDir.js';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { createPool, type Pool, type PoolOptions } from 'mysql2';
import type { Change, Database } from '../../core/ports.js';
import type { ChangeAppliers } from '../changeAppliers.js';
import { coreChanges } from '../coreChanges.js';
import { registerSqlHandle } from '../sqlHandle.js';
import type { MysqlDb } from './mysqlDb.js';
import { makeMysqlGuard, toMysqlStoreError } from './mysqlErrors.js';
import { createMysqlConversations } from './mysqlConversations.js';
import { createMysqlDrafts } from './mysqlDrafts.js';
import { createMysqlInbox } from './mysqlInbox.js';
import { createMysqlMembers } from './mysqlMembers.js';
import { createMysqlOutbox } from './mysqlOutbox.js';

export const MYSQL_MIGRATIONS_FOLDER = migrationsFolder('mysql');

export interface MysqlOptions {
  /** Pool size; default 10. */
  connectionLimit?: number;
  /** Connect timeout in ms; short by default so a down database fails a request fast instead of hanging it. */
  connectTimeoutMs?: number;
  /** Deadline per operation (bulk member imports excepted); default 3000, under WeCom's 5 s callback window. */
  operationTimeoutMs?: number;
  /** The features' change appliers (core changes are known already). */
  changes?: ChangeAppliers;
}

function openPool(url: string, options: MysqlOptions): Pool {
  const poolOptions: PoolOptions = {
    uri: url,
    connectionLimit: options.connectionLimit ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // utf8mb4 so 4-byte characters (emoji) survive the wire; the tables themselves are utf8mb4_bin (migration).
    charset: 'UTF8MB4_BIN',
    // Dates the driver itself serializes are UTC, matching the session time zone set below.
    timezone: 'Z',
    // Bounded wait for a free connection: past it, fail (→ StoreUnavailableError) rather than queue without end.
    waitForConnections: true,
    queueLimit: 200,
    enableKeepAlive: true,
    // Lets the pool drop idle connections a firewall or server restart would kill anyway.
    maxIdle: 2,
    idleTimeout: 60_000,
  };
  const pool = createPool(poolOptions);
  // Drizzle reads and writes DATETIME as UTC strings; a session in +08:00 would shift every NOW()-based value.
  // Queued on the new connection before the pool hands it out, so no query runs before it.
  pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'", () => undefined);
  });
  return pool;
}

async function endPool(pool: Pool): Promise<void> {
  await new Promise<void>((resolve) => pool.end(() => resolve()));
}

/**
 * Connects to MySQL / MariaDB and checks it answers (throws StoreUnavailableError otherwise, within about the
 * connect timeout). Does NOT migrate: production migrates explicitly (`db migrate`, migrateMysql) before rollout.
 */
export async function createMysqlDatabase(url: string, options: MysqlOptions = {}): Promise<Database> {
  return (await connectMysql(url, options)).database;
}

/** createMysqlDatabase, plus its drizzle handle for what reads past the ports (test helpers). */
export async function connectMysql(
  url: string,
  options: MysqlOptions = {},
): Promise<{ database: Database; db: MysqlDb }> {
  const pool = openPool(url, options);
  const db = drizzle({ client: pool });
  const database = wrapMysql(db, pool, options.operationTimeoutMs ?? 3000, {
    ...(options.changes?.mysql ?? {}),
    ...coreChanges.mysql,
  });
  try {
    await database.ping();
  } catch (err) {
    await endPool(pool);
    throw err;
  }
  return { database, db };
}

/**
 * How many migrations of db/migrations/mysql this database has not applied yet (0: up to date), by drizzle's own
 * bookkeeping (`__drizzle_migrations`: it applies every migration newer than the newest recorded). The server checks
 * it at start, so new code never runs on an old schema with a confusing "Failed query" at the first request.
 */
export async function pendingMysqlMigrations(url: string): Promise<number> {
  const journal = JSON.parse(
    readFileSync(join(MYSQL_MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { when: number }[];
  };
  const pool = openPool(url, { connectionLimit: 1 });
  try {
    let newest = 0;
    try {
      const [rows] = await pool
        .promise()
        .query('SELECT MAX(created_at) AS newest FROM `__drizzle_migrations`');
      newest = Number((rows as { newest: unknown }[])[0]?.newest ?? 0);
    } catch (err) {
      // ER_NO_SUCH_TABLE: never migrated.
      if ((err as { errno?: number }).errno !== 1146) throw toMysqlStoreError(err);
    }
    return journal.entries.filter((e) => e.when > newest).length;
  } finally {
    await endPool(pool);
  }
}

/** Applies the pending migrations in db/migrations/mysql; a second run is a no-op. */
export async function migrateMysql(url: string): Promise<void> {
  const pool = openPool(url, { connectionLimit: 1 });
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder: MYSQL_MIGRATIONS_FOLDER });
  } catch (err) {
    throw toMysqlStoreError(err);
  } finally {
    await endPool(pool);
  }
}

function wrapMysql(
  db: MysqlDb,
  pool: Pool,
  operationTimeoutMs: number,
  appliers: ChangeAppliers['mysql'],
): Database {
  let closed = false;
  const guardMysql = makeMysqlGuard(operationTimeoutMs);
  const applyChange = async (tx: MysqlDb, change: Change): Promise<void> => {
    const apply = appliers[change.type];
    // A change no registered feature applies is a wiring bug: fail the commit rather than drop the write.
    if (!apply) throw new Error(`no applier for change ${change.type}`);
    await apply(tx, change);
  };
  const database: Database = {
    dialect: 'mysql',
    inbox: createMysqlInbox(db, guardMysql, pool),
    outbox: createMysqlOutbox(db, guardMysql),
    members: createMysqlMembers(db, guardMysql, makeMysqlGuard(null)),
    conversations: createMysqlConversations(db, guardMysql),
    drafts: createMysqlDrafts(db, guardMysql),
    commit: (changes) =>
      guardMysql(() =>
        db.transaction(async (tx) => {
          // Sequential on purpose: one connection, and a throw from any change rolls back the earlier ones.
          for (const change of changes) await applyChange(tx, change);
        }),
      ),
    ping: () =>
      guardMysql(async () => {
        await db.execute(sql`SELECT 1`);
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await endPool(pool);
    },
  };
  registerSqlHandle(database, { dialect: 'mysql', db, guard: guardMysql });
  return database;
}
