/**
 * The module contract, shown rather than claimed: test/fixtures/exampleFeature is a whole feature (a table in both
 * dialects, a change, an effect, an inbound route, an admin route) that nothing in src/ knows. Adding it is one line
 * — `[...createFeatures(config), exampleFeature]` — and its table's migration is generated from its own folder.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import {
  generateMySQLDrizzleJson,
  generateMySQLMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from 'drizzle-kit/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomAppChannel } from '../../src/channels/wecomApp/index.js';
import { toInboundInput } from '../../src/channels/wecomApp/decodeWecomApp.js';
import { loadConfig } from '../../src/config/config.js';
import { checkFlowContracts } from '../../src/core/checkFlowContracts.js';
import { createFlowRegistry } from '../../src/core/flowRegistry.js';
import { createInboundHandler } from '../../src/core/handleInbound.js';
import type { Change, Database } from '../../src/core/ports.js';
import { createRegistry } from '../../src/core/registry.js';
import { createEffectRunner } from '../../src/core/runEffect.js';
import { createFeatures } from '../../src/features/index.js';
import { createApp } from '../../src/http/createApp.js';
import { systemClock } from '../../src/shared/clock.js';
import { createMemoryKeyValueStore } from '../../src/store/memory/memoryKeyValueStore.js';
import { createMysqlDatabase } from '../../src/store/mysql/mysqlDatabase.js';
import { sqlHandleOf } from '../../src/store/sqlHandle.js';
import { createSqliteDatabase } from '../../src/store/sqlite/sqliteDatabase.js';
import { exampleFeature } from '../fixtures/exampleFeature/index.js';
import { exampleStore } from '../fixtures/exampleFeature/store.js';
import { exampleReceipts as mysqlReceipts } from '../fixtures/exampleFeature/tables.mysql.js';
import { exampleReceipts as sqliteReceipts } from '../fixtures/exampleFeature/tables.sqlite.js';
import { inject } from '../http/inject.js';

const config = loadConfig({});
const registry = createRegistry([...createFeatures(config), exampleFeature]);
const EXAMPLE = {
  file: 'flows/_examples/example.yaml',
  text: readFileSync('flows/_examples/example.yaml', 'utf8'),
};
const logger = pino({ level: 'silent' });
const databaseUrl = process.env.TEST_DATABASE_URL ?? '';

/** The table's DDL generated from the feature's own table files, as `npm run db:generate` would. */
async function createExampleTable(db: Database): Promise<void> {
  const h = sqlHandleOf(db);
  if (h.dialect === 'sqlite') {
    const ddl = await generateSQLiteMigration(
      await generateSQLiteDrizzleJson({}),
      await generateSQLiteDrizzleJson({ sqliteReceipts }),
    );
    for (const statement of ddl) h.db.run(sql.raw(statement));
    return;
  }
  await h.db.execute(sql.raw('DROP TABLE IF EXISTS example_receipts'));
  const ddl = await generateMySQLMigration(
    await generateMySQLDrizzleJson({}),
    await generateMySQLDrizzleJson({ mysqlReceipts }),
  );
  for (const statement of ddl) await h.db.execute(sql.raw(statement));
}

describe('a throw-away feature needs only its folder and one registry line', () => {
  it('its flow fits its effect; without the feature, flows:check names the missing effect', () => {
    const flow = createFlowRegistry([EXAMPLE]).flows[0]!;
    expect(checkFlowContracts(flow, registry).problems).toEqual([]);
    const without = createRegistry(createFeatures(config));
    expect(checkFlowContracts(flow, without).problems.map((p) => p.message)).toEqual([
      '没有任何功能提供效果「survey.submit」',
    ]);
  });

  const backends: { name: string; open: () => Promise<Database> }[] = [
    { name: 'sqlite', open: async () => createSqliteDatabase(':memory:', { changes: registry.changes }) },
  ];
  if (databaseUrl)
    backends.push({
      name: 'mysql',
      open: () => createMysqlDatabase(databaseUrl, { changes: registry.changes }),
    });

  describe.each(backends)('on $name', ({ open }) => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
      await createExampleTable(db);
      await db.members.upsertMany([
        {
          userId: 'ex1',
          name: '测试委员',
          role: 'member',
          sector: null,
          committee: null,
          mobile: null,
          active: true,
        },
      ]);
    });
    afterAll(async () => {
      const h = sqlHandleOf(db);
      if (h.dialect === 'mysql') await h.db.execute(sql.raw('DROP TABLE IF EXISTS example_receipts'));
      await db.close();
    });

    it('a member answers the survey (effect + change), asks 查回执 (route), staff list receipts (admin route)', async () => {
      const channel = createWecomAppChannel({
        api: null,
        kv: createMemoryKeyValueStore(),
        logger,
        credentials: { corpId: 'corp', encodingAesKey: 'a'.repeat(43) },
      });
      const handle = createInboundHandler({
        db,
        flows: createFlowRegistry([EXAMPLE]),
        routes: registry.routes,
        runEffect: createEffectRunner({ effects: registry.effects, db, logger }),
        logger,
        idleMs: 30 * 60_000,
        draftFlows: registry.draftFlows,
        officeContact: '县政协办公室',
      });
      let n = 0;
      const say = async (content: string): Promise<string> => {
        n += 1;
        const msg = {
          type: 'text' as const,
          fromUserName: 'ex1',
          toUserName: 'corp',
          createTime: '1',
          agentId: '1',
          msgId: `m${n}`,
          content,
        };
        const changes: Change[] = await handle(
          { channel, actorId: 'ex1', input: toInboundInput(msg) },
          { inboxId: n, now: new Date('2026-12-01T02:00:00Z') },
        );
        await db.commit(changes);
        return changes
          .flatMap((c) =>
            c.type === 'outbox.add' && c.message.message.msgtype === 'text'
              ? [c.message.message.text.content]
              : [],
          )
          .join('\n');
      };
      await say('小调查');
      await say('1');
      await say('1');
      await say('否');
      expect(await say('确认')).toMatch(/提交成功，回执编号 R\d+/);
      const receipts = await exampleStore(db).list();
      expect(receipts).toEqual([expect.objectContaining({ userId: 'ex1', satisfaction: 'good' })]);
      expect(await say('查回执')).toBe(`您已提交 1 份问卷：${receipts[0]!.no}`);

      const runtime = { db, clock: systemClock, logger, wakeSender: () => undefined };
      const app = createApp({
        logger,
        verifyUrl: () => '',
        ingest: async () => ({ status: 200 }),
        readiness: async () => ({}),
        isAccepting: () => true,
        admin: { token: 't0ken', routes: registry.features.flatMap((f) => f.adminRoutes?.(runtime) ?? []) },
      });
      const res = await inject(app, {
        method: 'GET',
        url: '/admin/api/example/receipts',
        headers: { authorization: 'Bearer t0ken' },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        receipts: [{ no: receipts[0]!.no, userId: 'ex1', satisfaction: 'good' }],
      });
    });
  });
});
