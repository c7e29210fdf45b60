import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminRoute } from '../../../src/core/adminRoute.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Database } from '../../../src/core/ports.js';
import { checkinCode, createDutiesFeature, dutyRecord } from '../../../src/features/duties/index.js';
import { noticeStore } from '../../../src/features/notices/index.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/** 出席 / 缺席 after a meeting: the member's 签到 with the code shown in the room, or staff marking it (admin API). */
let db: Database;
let handle: TestHandler;
let inboxId = 0;
let routes: AdminRoute[];
let noticeId: number;
const MEETING = new Date('2026-06-10T06:30:00Z'); // 14:30 China time
const MORNING = new Date('2026-06-10T05:00:00Z');
const say = (userId: string, text: string, now: Date) =>
  sayAs(db, handle, { userId, text, now, inboxId: ++inboxId });
let clockNow = MORNING;

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  handle = testHandler(db, createFlowRegistry(await readFlowFiles('flows')));
  await db.commit([
    {
      type: 'notice.create',
      at: MORNING,
      notice: {
        createKey: 'm1',
        title: '优化营商环境专题协商会',
        kind: '专题协商会',
        startsAt: MEETING,
        place: '三楼会议室',
        content: '议题',
        audience: { all: true, sectors: [], committees: [], userIds: [] },
        replyBy: MORNING,
        leaveNeedsReason: false,
        createdBy: 'wangwu',
      },
    },
  ]);
  noticeId = (await noticeStore(db).getByCreateKey('m1'))!.id;
  await db.commit([
    {
      type: 'notice.send',
      noticeId,
      recipients: [
        { userId: 'zhangsan', name: '张三' },
        { userId: 'lisi', name: '李四' },
      ],
      reminders: [],
      at: MORNING,
    },
    { type: 'notice.answer', noticeId, userId: 'lisi', answer: 'attend', reason: null, at: MORNING },
  ]);
  clockNow = MORNING;
  routes = createDutiesFeature({ pointsFile: 'flows/duties/points.yaml' }).adminRoutes!({
    db,
    clock: { now: () => clockNow },
    logger: pino({ level: 'silent' }),
    wakeSender: () => undefined,
  });
});
afterEach(async () => {
  await db.close();
});

const route = (path: string) => routes.find((r) => r.path === path)!;

describe('签到 and attendance', () => {
  it('a member signs in with the code on the day; a wrong or missing code is explained', async () => {
    const codeRes = await route('/duties/checkin-code/:noticeId').handle({
      params: { noticeId: String(noticeId) },
      query: {},
      body: undefined,
      idempotencyKey: null,
    });
    const code = (codeRes.body as { code: string }).code;
    expect(code).toBe(checkinCode(noticeId, MEETING));
    expect(await say('zhangsan', '签到', MORNING)).toContain('4 位签到码');
    const wrong = code === '0000' ? '0001' : '0000';
    expect(await say('zhangsan', `签到 ${wrong}`, MORNING)).toContain('签到码不对');
    expect(await say('zhangsan', `签到 ${code}`, MORNING)).toContain('签到成功：《优化营商环境专题协商会》');
    expect(await say('zhangsan', `签到 ${code}`, new Date('2026-06-12T02:00:00Z'))).toContain('今天没有');
    const after = new Date('2026-06-11T02:00:00Z');
    const record = await dutyRecord(db, { userId: 'zhangsan' }, 2026, after);
    expect(record.counts.meeting_attend).toBe(1);
    expect(record.entries[0]!.what).toContain('（签到）');
  });

  it('staff mark 缺席 after the meeting: it wins over a 参加 回执; not before the meeting, not by a member', async () => {
    const mark = route('/duties/attendance');
    const call = (body: unknown) => mark.handle({ params: {}, query: {}, body, idempotencyKey: null });
    await expect(call({ noticeId, actor: 'wangwu', absent: ['lisi'] })).rejects.toMatchObject({
      code: 'conflict',
    });
    clockNow = new Date('2026-06-10T10:00:00Z');
    await expect(call({ noticeId, actor: 'zhangsan', absent: ['lisi'] })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(call({ noticeId, actor: 'wangwu', absent: ['wangwu'] })).rejects.toMatchObject({
      code: 'invalid_body',
    });
    expect((await call({ noticeId, actor: 'wangwu', absent: ['lisi'], present: ['zhangsan'] })).body).toEqual(
      {
        noticeId,
        marked: 2,
      },
    );
    const lisi = await dutyRecord(db, { userId: 'lisi' }, 2026, clockNow);
    expect(lisi.counts).toMatchObject({ meeting_attend: 0, meeting_absent: 1 });
    const zhang = await dutyRecord(db, { userId: 'zhangsan' }, 2026, clockNow);
    expect(zhang.counts).toMatchObject({ meeting_attend: 1, meeting_no_reply: 0 });
  });
});
