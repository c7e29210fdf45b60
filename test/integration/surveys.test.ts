/**
 * Surveys through the real inbound handler (registry, routes, effects, flow files) on every backend: citizens on
 * the 微信客服 channel (`wecom-kf` actors, inputs decoded as the channel hands them over), members in the WeCom app,
 * staff's admin API and 问卷结果.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundInput } from '../../src/core/feature.js';
import { createFlowRegistry, type FlowRegistry } from '../../src/core/flowRegistry.js';
import type { Change, Database } from '../../src/core/ports.js';
import { createRegistry } from '../../src/core/registry.js';
import { createNoticesFeature } from '../../src/features/notices/index.js';
import {
  createSurveyAdmin,
  createSurveysFeature,
  forgetRespondents,
  loadSurveyCatalog,
  queueDigests,
  surveyStore,
} from '../../src/features/surveys/index.js';
import { createApp } from '../../src/http/createApp.js';
import { readFlowFiles } from '../../src/store/flowFiles.js';
import { migrateMysql } from '../../src/store/mysql/mysqlDatabase.js';
import { inject } from '../http/inject.js';
import { testMysql, testRegistry, testSqlite } from '../support/testDatabase.js';
import { citizenTestChannel, inboundHandler, testChannel } from '../support/testHandler.js';
import { sql } from 'drizzle-orm';
import { sqlHandleOf } from '../../src/store/sqlHandle.js';

const NOW = new Date('2026-12-03T10:00:00+08:00');
const minutes = (n: number): Date => new Date(NOW.getTime() + n * 60_000);
const SURVEY = 'minsheng_2027';
const catalog = loadSurveyCatalog('flows');
const settings = { openUnlessClosed: true, digestHour: 18, retentionDays: 180, pollMs: 60_000 };
const databaseUrl = process.env.TEST_DATABASE_URL ?? '';

const backends: { name: string; open: () => Promise<Database> }[] = [
  { name: 'sqlite', open: async () => testSqlite(':memory:') },
];
if (databaseUrl)
  backends.push({
    name: 'mysql',
    open: async () => {
      await migrateMysql(databaseUrl);
      const db = await testMysql(databaseUrl);
      const h = sqlHandleOf(db);
      if (h.dialect === 'mysql')
        for (const t of ['survey_responses', 'survey_states', 'conversations', 'outbox', 'members'])
          await h.db.execute(sql.raw(`DELETE FROM \`${t}\``));
      return db;
    },
  });

const STAFF = {
  userId: 'staff1',
  name: '工作人员',
  role: 'staff' as const,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
};
const MEMBER = {
  userId: 'wy1',
  name: '委员甲',
  role: 'member' as const,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
};

describe.each(backends)('surveys on $name', ({ open }) => {
  let db: Database;
  let flows: FlowRegistry;
  let inbox = 0;
  beforeAll(async () => {
    db = await open();
    flows = createFlowRegistry(await readFlowFiles('flows'));
    await db.members.upsertMany([STAFF, MEMBER]);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    inbox += 1000;
  });

  /** One message in, committed as the worker does; returns the texts queued for that person. */
  async function send(
    who: { channel: 'kf' | 'app'; id: string },
    input: InboundInput,
    now = NOW,
    registry = testRegistry,
  ): Promise<string> {
    inbox += 1;
    const handle = inboundHandler(db, flows, { registry });
    const channel = who.channel === 'kf' ? citizenTestChannel : testChannel;
    const changes: Change[] = await handle({ channel, actorId: who.id, input }, { inboxId: inbox, now });
    await db.commit(changes);
    return changes
      .flatMap((c) =>
        c.type === 'outbox.add' && c.message.toUser === who.id && c.message.message.msgtype === 'text'
          ? [c.message.message.text.content]
          : [],
      )
      .join('\n');
  }
  const citizen = (id: string) => ({ channel: 'kf' as const, id });
  const text = (t: string): InboundInput => ({ type: 'text', text: t });
  const scan = (scene: string | null): InboundInput => ({ type: 'sessionStart', scene, welcomeCode: 'wc' });

  it('a citizen scans the link, answers in everyday words, and is counted once; a second visit may revise', async () => {
    const me = citizen(`wm${randomUUID().slice(0, 8)}`);
    const intro = await send(me, scan('minsheng2027'));
    expect(intro).toContain('《2027年民生实事项目征集》');
    expect(intro).toContain('1. 您认为2027年最应该办的民生实事是哪几项');
    expect(await send(me, text('2和5'))).toContain('打几分');
    expect(await send(me, text('都挺好的给4分吧'))).toContain('还有什么建议');
    await send(me, text('路灯坏了，联系我13812345678'));
    await send(me, text('第二个'));
    expect(await send(me, text('不想说'))).toContain('请核对您的回答');
    expect(await send(me, text('确认'))).toContain('感谢您参与2027年民生实事项目征集');
    const stored = await surveyStore(db).response(SURVEY, 'wecom-kf', me.id);
    expect(stored).toMatchObject({
      answers: {
        projects: ['school', 'roads'],
        rating: 4,
        suggestion: '路灯坏了，联系我13812345678',
        town: '东城街道',
        ageGroup: '',
      },
      revisions: 0,
    });

    // Back later through the same link: told, and may revise until the closing time.
    const again = await send(me, scan('minsheng2027'), minutes(60));
    expect(again).toContain('填写过《2027年民生实事项目征集》');
    expect(again).toContain('2027年1月31日 23:59');
    await send(me, text('是'), minutes(61));
    await send(me, text('1'), minutes(62));
    await send(me, text('1分'), minutes(63));
    expect(await send(me, text('太慢了'), minutes(64))).toContain('还有什么建议');
    await send(me, text('跳过'), minutes(65));
    await send(me, text('跳过'), minutes(66));
    await send(me, text('跳过'), minutes(67));
    await send(me, text('好的'), minutes(68));
    const revised = await surveyStore(db).responses(SURVEY);
    const mine = revised.filter((r) => r.respondent === me.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      answers: { projects: ['elderly'], rating: 1, lowReason: '太慢了' },
      revisions: 1,
    });

    // The results API masks the number and never shows who answered.
    const admin = createSurveyAdmin({ db, catalog, settings, now: () => minutes(70) });
    const results = await admin.results(SURVEY);
    expect(JSON.stringify(results)).not.toContain(me.id);
    const rows = await admin.responses(SURVEY);
    if (rows === 'notFound') throw new Error('survey not found');
    expect(rows.map((r) => r.pseudonym)).toContain('R0001');
  });

  it("a citizen without a scene gets the open surveys and picks one; citizens never reach members' flows", async () => {
    const me = citizen(`wm${randomUUID().slice(0, 8)}`);
    const list = await send(me, text('写提案'));
    expect(list).toContain('正在征集意见的问卷');
    expect(list).toContain('1. 2027年民生实事项目征集');
    expect(await send(me, text('1'))).toContain('1. 您认为2027年最应该办的民生实事是哪几项');
    // Mid-survey, the answer belongs to the survey.
    expect(await send(me, text('第三个'))).toContain('打几分');
    // A members' query typed mid-survey is just a wrong answer here.
    const query = await send(me, text('我的提案'));
    expect(query).toContain('打几分');
    expect(query).not.toContain('提案');
    // Leaving and coming back later continues where the citizen left off.
    expect(await send(me, scan(null), minutes(120))).toContain('打几分');
    expect(await send(me, text('3'), minutes(121))).toContain('还有什么建议');
    // A scene of no survey says so and lists what is open.
    const other = citizen(`wm${randomUUID().slice(0, 8)}`);
    expect(await send(other, scan('gone2025'))).toContain('您扫描的问卷已结束或不存在');
  });

  it('members answer by keyword in the app, counted apart from citizens; staff read 问卷结果', async () => {
    const app = { channel: 'app' as const, id: MEMBER.userId };
    expect(await send(app, text('民生实事征集'))).toContain('共 6 题');
    await send(app, text('养老'));
    await send(app, text('5'));
    await send(app, text('跳过'));
    await send(app, text('河口镇'));
    await send(app, text('跳过'));
    expect(await send(app, text('确认'))).toContain('感谢您参与');
    expect(await surveyStore(db).response(SURVEY, 'wecom-app', MEMBER.userId)).not.toBeNull();
    const summary = await send({ channel: 'app', id: STAFF.userId }, text('问卷结果'));
    expect(summary).toMatch(/《2027年民生实事项目征集》共 \d+ 份（群众 \d+，委员 1）/);
  });

  it('staff open and close through the admin API; after closing the survey says so politely', async () => {
    const runtime = {
      db,
      clock: { now: () => NOW },
      logger: pino({ level: 'silent' }),
      wakeSender: () => undefined,
    };
    const feature = testRegistry.features.find((f) => f.name === 'surveys');
    const app = createApp({
      logger: runtime.logger,
      verifyUrl: () => '',
      ingest: async () => ({ status: 200 }),
      readiness: async () => ({}),
      isAccepting: () => true,
      admin: { token: 't0ken-t0ken-t0ken-t0ken', routes: feature?.adminRoutes?.(runtime) ?? [] },
    });
    const call = (method: string, url: string, body?: unknown) =>
      inject(app, {
        method,
        url,
        headers: {
          authorization: 'Bearer t0ken-t0ken-t0ken-t0ken',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const list = await call('GET', '/admin/api/surveys');
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({
      surveys: [{ id: SURVEY, title: '2027年民生实事项目征集', state: 'open' }],
    });
    const results = await call('GET', `/admin/api/surveys/${SURVEY}/results?by=town`);
    expect(results.status).toBe(200);
    expect(results.json).toMatchObject({ surveyId: SURVEY, crossTab: { by: { id: 'town' } } });
    expect((await call('GET', `/admin/api/surveys/${SURVEY}/results?by=rating`)).status).toBe(400);
    expect((await call('GET', '/admin/api/surveys/nope/results')).status).toBe(404);
    expect(
      (await call('POST', `/admin/api/surveys/${SURVEY}/open`, { closesAt: '2026-12-01 10:00' })).status,
    ).toBe(400);
    const opened = await call('POST', `/admin/api/surveys/${SURVEY}/open`, { closesAt: '2026-12-20 18:00' });
    expect(opened.json).toEqual({ id: SURVEY, state: 'open', closesAt: '2026-12-20T10:00:00.000Z' });
    expect((await call('POST', `/admin/api/surveys/${SURVEY}/close`)).status).toBe(200);

    const late = citizen(`wm${randomUUID().slice(0, 8)}`);
    expect(await send(late, scan('minsheng2027'))).toContain('已于 2026年12月3日 10:00 截止，感谢您的关注');
    expect(await send(late, text('你好'))).toContain('目前没有正在征集意见的问卷');
  });

  it('with real WeCom settings nothing is answered before staff open it', async () => {
    const strict = createRegistry([
      createSurveysFeature(catalog, { ...settings, openUnlessClosed: false }),
      createNoticesFeature(),
    ]);
    const id = `wm${randomUUID().slice(0, 8)}`;
    await db.commit([{ type: 'survey.open', surveyId: SURVEY, openedAt: NOW, closesAt: null }]);
    await db.commit([{ type: 'survey.close', surveyId: SURVEY, at: NOW }]);
    expect(await send(citizen(id), scan('minsheng2027'), minutes(1), strict)).toContain('截止');
    await db.commit([{ type: 'survey.open', surveyId: SURVEY, openedAt: minutes(2), closesAt: null }]);
    expect(await send(citizen(`${id}b`), scan('minsheng2027'), minutes(3), strict)).toContain('共 6 题');
  });

  it('many citizens answer with skip logic; a turn redone after a lost commit counts once; results add up', async () => {
    await db.commit([{ type: 'survey.open', surveyId: SURVEY, openedAt: minutes(-1), closesAt: null }]);
    const before = await surveyStore(db).responses(SURVEY);
    const n = 20;
    const expected = { school: 0, low: 0, ratings: [] as number[] };
    for (let i = 0; i < n; i++) {
      const me = citizen(`wmMany${i}-${randomUUID().slice(0, 6)}`);
      const rating = (i % 5) + 1;
      const picks = i % 2 === 0 ? '2 5' : '1和8';
      if (i % 2 === 0) expected.school += 1;
      if (rating <= 2) expected.low += 1;
      expected.ratings.push(rating);
      const script = [
        scan('minsheng2027'),
        text(picks),
        text(`给${rating}分`),
        ...(rating <= 2 ? [text(i % 3 === 0 ? '跳过' : '办事太慢')] : []),
        text(i % 4 === 0 ? '多建几个停车场' : '不想说'),
        text(String((i % 7) + 1)),
        text(i % 2 === 0 ? '不愿透露' : '2'),
        text('确认'),
      ];
      for (const [k, input] of script.entries()) {
        if (k === script.length - 1 && i % 10 === 0) {
          // The worker crashed before committing the submit: nothing of that turn was kept, and it runs again.
          const handle = inboundHandler(db, flows);
          await handle(
            { channel: citizenTestChannel, actorId: me.id, input },
            { inboxId: inbox + 1, now: NOW },
          );
        }
        expect(await send(me, input)).not.toContain('抱歉');
      }
    }
    const all = await surveyStore(db).responses(SURVEY);
    const fresh = all.filter((r) => !before.some((b) => b.id === r.id));
    expect(fresh).toHaveLength(n);
    const admin = createSurveyAdmin({ db, catalog, settings, now: () => NOW });
    const results = await admin.results(SURVEY);
    if (results === 'notFound' || 'error' in results) throw new Error('no results');
    const beforeSchool = before.filter((r) => (r.answers['projects'] as string[]).includes('school')).length;
    const projects = results.questions.find((q) => q.id === 'projects');
    expect(projects?.options?.find((o) => o.value === 'school')?.count).toBe(beforeSchool + expected.school);
    const lowAsked = fresh.filter((r) => Object.hasOwn(r.answers, 'lowReason')).length;
    expect(lowAsked).toBe(expected.low);
    expect(fresh.map((r) => r.answers['rating']).sort()).toEqual(expected.ratings.sort());
  }, 120_000);

  it('staff get one digest a day of new responses; retention erases who answered after the survey closed', async () => {
    await db.commit([{ type: 'survey.open', surveyId: SURVEY, openedAt: NOW, closesAt: null }]);
    const evening = new Date('2026-12-03T18:30:00+08:00');
    await db.commit([
      {
        type: 'survey.respond',
        surveyId: SURVEY,
        channel: 'wecom-kf',
        respondent: 'wmDigest',
        answers: { projects: ['water'], rating: 3 },
        at: minutes(5),
      },
    ]);
    const deps = { db, catalog, settings };
    expect(await queueDigests(deps, new Date('2026-12-03T17:59:00+08:00'))).toBe(0);
    expect(await queueDigests(deps, evening)).toBe(1);
    expect(await queueDigests(deps, new Date(evening.getTime() + 60_000))).toBe(0);
    const digest = await db.outbox.listForUser(`@survey:${SURVEY}:digest:0`, 0, 10);
    expect(digest).toHaveLength(1);
    expect(JSON.stringify(digest[0]?.message)).toContain('【问卷日报】2026-12-03 新增');

    expect(await forgetRespondents(deps, evening)).toBe(0);
    const afterRetention = new Date(catalog.get(SURVEY)!.closes.getTime() + 181 * 86_400_000);
    expect(await forgetRespondents(deps, afterRetention)).toBe(1);
    const rows = await surveyStore(db).responses(SURVEY);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.respondent === null)).toBe(true);
  });
});
