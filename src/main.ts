import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { ConfigError, loadConfig, type Config, type WecomCredentials } from './config/config.js';
import { createInboundHandler } from './core/handleInbound.js';
import { ingestCallback } from './channels/wecomApp/ingestCallback.js';
import { createFlowRegistry } from './core/flowRegistry.js';
import { createEffectRunner } from './core/runEffect.js';
import { createRegistry } from './core/registry.js';
import { assertFlowContracts } from './core/checkFlowContracts.js';
import { createFeatures } from './features/index.js';
import { createWecomAppChannel } from './channels/wecomApp/index.js';
import {
  createKfGuard,
  createKfPuller,
  createWecomKfChannel,
  LOCAL_OPEN_KFID,
} from './channels/wecomKf/index.js';
import type { Channel } from './core/channel.js';
import { createKfApi } from './wecom/api/kf.js';
import { readFaqFile, readFlowFiles, readHolidaysFile, readUnitsFile } from './store/flowFiles.js';
import { openFlowParseCache } from './store/flowParseCache.js';
import { pendingMysqlMigrations } from './store/mysql/mysqlDatabase.js';
import { compileFlow, parseFlowYaml } from './flows/index.js';
import { loadHolidays } from './shared/holidays.js';
import { loadUnits, uncoveredCalendarYears } from './features/proposals/index.js';
import { loadFaq } from './core/loadFaq.js';
import { citizenChoicesLookup, draftSeedLookup, pendingLookup } from './core/helpAnswer.js';
import { loadOrCreateLocalCredentials, localCredentialsFile } from './channels/wecomApp/localCredentials.js';
import { DEMO_MEMBERS, seedDemoMembers } from './core/members/seedDemoMembers.js';
import { createSender } from './core/sender.js';
import { createWorker } from './core/worker.js';
import { createAckFirst } from './core/ackFirst.js';
import { createHttpHandler } from './http/createApp.js';
import { systemClock, type Clock } from './shared/clock.js';
import { errorMessage } from './shared/errors.js';
import { createKvLock } from './store/kvLock.js';
import { openDatabase, openKeyValueStore } from './store/openStores.js';
import { assertRedisKeepsKeys } from './store/redis/redisEvictionPolicy.js';
import { fetchTransport } from './wecom/api/transport.js';
import { createTokenProvider } from './wecom/api/tokenProvider.js';
import { createWecomClient } from './wecom/api/client.js';
import { openUrlVerification } from './wecom/envelope.js';

export interface RunningServer {
  url: string;
  port: number;
  localMode: boolean;
  credentials: WecomCredentials;
  /** Graceful stop: refuse new requests, finish in-flight work, close pools. */
  stop(): Promise<void>;
}

/** `destination`: where the lines go (stdout when omitted; tests read them). */
export function createLogger(level: Config['logLevel'], destination?: { write(line: string): void }): Logger {
  // Names, mobiles and message text are never logged at all; redact is the second line of defence.
  const options = { level, redact: ['*.name', '*.mobile', '*.content', '*.text'], base: { app: 'xieshang' } };
  return destination ? pino(options, destination) : pino(options);
}

/** The composition root: builds every adapter and client, starts HTTP, the inbox worker and the outbox sender. */
export async function startServer(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const localMode = config.wecom === null;
  const credentials = config.wecom ?? loadOrCreateLocalCredentials(config.dataDir).credentials;

  const units = loadUnits(await readUnitsFile(config.flowsDir));
  loadHolidays(await readHolidaysFile(config.flowsDir));
  const registry = createRegistry(createFeatures(config, units));
  const uncovered = uncoveredCalendarYears(clock.now());
  if (uncovered.length > 0)
    logger.warn(
      { years: uncovered },
      'holiday data (chinese-days and flows/holidays.yaml) does not cover these years yet: proposal deadlines there count weekends only; enter the State Council schedule in flows/holidays.yaml or update the package',
    );
  const parseCache = openFlowParseCache(config.dataDir, parseFlowYaml);
  const flows = createFlowRegistry(await readFlowFiles(config.flowsDir), compileFlow, parseCache.parse);
  parseCache.save();
  const faq = loadFaq(await readFaqFile(config.flowsDir));
  assertFlowContracts(flows.flows, registry);
  // Before anything is opened: a Redis that may evict keys is refused (src/store/redis/redisEvictionPolicy.ts).
  if (config.redisUrl) await assertRedisKeepsKeys(config.redisUrl, logger);
  // MySQL is migrated explicitly before a rollout (SQLite migrates itself): refuse to run on an older schema.
  if (config.database.kind === 'mysql') {
    const pending = await pendingMysqlMigrations(config.database.url);
    if (pending > 0)
      throw new ConfigError([
        `MySQL 数据库还有 ${pending} 个迁移未执行：请先运行 npm run db:migrate（使用同一个 DATABASE_URL），再启动`,
      ]);
  }
  const db = await openDatabase(config.database, registry.changes, { sqliteSync: config.sqliteSync });
  const kv = openKeyValueStore(config.redisUrl);
  const lock = createKvLock(kv);
  if (localMode && (await seedDemoMembers(db.members))) logger.info('local mode: seeded demo members');

  const transport = fetchTransport;
  const api = localMode
    ? null
    : createWecomClient({
        apiBase: config.wecomApiBase,
        agentId: credentials.agentId,
        transport,
        timeoutMs: config.wecomApiTimeoutMs,
        tokens: createTokenProvider({
          apiBase: config.wecomApiBase,
          corpId: credentials.corpId,
          secret: credentials.secret,
          agentId: credentials.agentId,
          transport,
          cache: kv,
          clock,
        }),
      });

  const channel = createWecomAppChannel({
    api,
    kv,
    credentials,
    logger: logger.child({ component: 'wecom-app' }),
    rateLimitPauseMs: config.senderRateLimitPauseMs,
    rateLimitHourPauseMs: config.senderRateLimitHourPauseMs,
  });
  // 微信客服: on when 客服账号 are configured; local mode serves a local one for the chat simulator.
  const openKfids = config.kf.openKfids.length > 0 ? config.kf.openKfids : localMode ? [LOCAL_OPEN_KFID] : [];
  const kfApi = api ? createKfApi(api) : null;
  const kfCrypto = { corpId: credentials.corpId, encodingAesKey: credentials.encodingAesKey };
  const kfChannel =
    openKfids.length > 0
      ? createWecomKfChannel({
          api: kfApi,
          db,
          kv,
          crypto: kfCrypto,
          logger: logger.child({ component: 'wecom-kf' }),
          rateLimitPauseMs: config.senderRateLimitPauseMs,
        })
      : null;
  // One map of channels for both directions: the worker decodes inbox items, the sender delivers outbox rows.
  const channels = new Map<string, Channel>([[channel.id, channel]]);
  if (kfChannel) channels.set(kfChannel.id, kfChannel);
  // Callbacks in flight make the worker and the sender wait their turn (WeCom's 5 s ack deadline comes first).
  const ackFirst = createAckFirst();
  const sender = createSender({
    db,
    kv,
    channels,
    onDelivery: (report) => registry.features.flatMap((f) => f.onDelivery?.(report) ?? []),
    clock,
    logger: logger.child({ component: 'sender' }),
    pollMs: config.pollIntervalMs,
    retryBaseMs: config.senderRetryBaseMs,
    leaseMs: config.leaseMs,
    beforeItem: ackFirst.turn,
  });
  const worker = createWorker({
    db,
    lock,
    clock,
    logger: logger.child({ component: 'worker' }),
    channels,
    officeContact: config.officeContact,
    pollMs: config.pollIntervalMs,
    leaseMs: config.leaseMs,
    beforeItem: ackFirst.turn,
    handle: createInboundHandler({
      db,
      flows,
      routes: registry.routes,
      runEffect: createEffectRunner({ effects: registry.effects, db, logger }),
      logger: logger.child({ component: 'conversation' }),
      idleMs: config.conversationIdleMs,
      draftFlows: registry.draftFlows,
      officeContact: config.officeContact,
      faq,
      pending: pendingLookup(registry.features, db),
      draftSeeds: draftSeedLookup(registry.features, db),
      citizenChoices: citizenChoicesLookup(registry.features, db),
    }),
    onProcessed: () => sender.wake(),
  });

  const puller =
    kfApi && openKfids.length > 0
      ? createKfPuller({
          db,
          kv,
          lock,
          api: kfApi,
          openKfids,
          crypto: kfCrypto,
          clock,
          logger: logger.child({ component: 'kf-puller' }),
          timerMs: config.kf.syncIntervalMs,
          guard: createKfGuard(kv, config.kf.citizenGuard),
          onStored: () => worker.wake(),
        })
      : null;

  const runtime = { db, clock, logger, wakeSender: () => sender.wake() };
  const pollers = registry.features.flatMap((f) => f.pollers?.(runtime) ?? []);

  let accepting = true;
  const callbackCredentials = {
    corpId: credentials.corpId,
    token: credentials.token,
    encodingAesKey: credentials.encodingAesKey,
  };
  const handler = createHttpHandler({
    logger,
    isAccepting: () => accepting,
    verifyUrl: (query) =>
      openUrlVerification({
        query,
        credentials: callbackCredentials,
        now: clock.now(),
        maxSkewSeconds: config.callbackMaxSkewSeconds,
      }),
    ingest: (query, body) =>
      ackFirst.track(
        ingestCallback(
          {
            credentials: callbackCredentials,
            inbox: db.inbox,
            maxSkewSeconds: config.callbackMaxSkewSeconds,
            logger,
            onStored: () => worker.wake(),
            onKfNotice: async (notice) => {
              if (puller) await puller.request(notice.openKfId, notice.token);
              else logger.warn('a 微信客服 notice arrived but WECOM_KF_OPEN_KFIDS is not set; ignored');
            },
          },
          { query, body, now: clock.now() },
        ),
      ),
    ...(config.adminToken
      ? {
          admin: {
            token: config.adminToken,
            routes: registry.features.flatMap((f) => f.adminRoutes?.(runtime) ?? []),
          },
        }
      : {}),
    readiness: async () => ({
      database: await answers(db.ping()),
      keyValueStore: await answers(kv.ping()),
    }),
  });

  // Slow senders are cut off: headers (slowloris) and the whole request (slow body) each have a deadline. Node checks
  // the deadlines on a timer (30 s by default), so the timer runs often enough for them to hold to the second.
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  const server: Server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    handler,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  worker.start();
  sender.start();
  puller?.start();
  for (const p of pollers) p.start();

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    stopping ??= (async () => {
      accepting = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await puller?.stop();
      await worker.stop();
      await Promise.all(pollers.map((p) => p.stop()));
      await sender.stop();
      await Promise.allSettled([db.close(), kv.close()]);
    })();
    return stopping;
  }

  return { url: `http://127.0.0.1:${port}`, port, localMode, credentials, stop };
}

async function answers(p: Promise<void>): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([
    p.then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

function banner(config: Config, running: RunningServer): string {
  const lines = [
    `xieshang 协商助手 listening on :${running.port}`,
    `  callback   ${running.url}/wecom/callback`,
    `  database   ${config.database.kind === 'sqlite' ? `SQLite ${config.database.file}` : 'MySQL'}; key-value store ${config.redisUrl ? 'Redis' : 'in-process'}`,
  ];
  if (running.localMode) {
    lines.push(
      '  LOCAL MODE: no WeCom settings, so replies stay in the local outbox and nothing is sent to WeCom.',
      `  dev credentials: ${localCredentialsFile(config.dataDir)}`,
      '  chat with the bot as a demo member:',
      ...DEMO_MEMBERS.map(
        (m) => `    npm run chat -- --as ${m.userId}    (${m.role === 'staff' ? '工作人员' : '委员'})`,
      ),
      '  or as a citizen on 微信客服:',
      '    npm run chat -- --as-citizen citizen1 [--scene <scene>]',
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  // A .env file in the working directory is read when present; real environment variables win over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, { logger });
  console.log(banner(config, running));
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    // Exit within 10 s whatever happens (supervisors kill at 10 s).
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 9000).unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: errorMessage(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`启动失败：${errorMessage(err)}`);
    process.exit(1);
  });
}
