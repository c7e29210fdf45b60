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
import { queuedTexts, sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';
import { parseAttendanceInput } from '../../../src/features/duties/domain/index.js';
import { runReminder } from '../../../src/features/notices/reminders.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';

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
      reminders: [{ kind: 'morning', dueAt: MORNING }],
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

  it('the meeting-day card: its 签到 button records 出席 on the day, once; another day or another person is told why', async () => {
    const reminders = await noticeStore(db).reminders(noticeId);
    for (const r of reminders) await runReminder(db, r, MORNING, '测试县政协');
    const cards = (await db.outbox.claimDue(MEETING, 50, 60_000)).filter(
      (o) => o.message.msgtype === 'template_card',
    );
    // Only lisi answered 参加: the card goes to her alone, with the 签到 button.
    expect(cards.map((c) => c.recipients)).toEqual([['lisi']]);
    const key = `notice:${noticeId}:checkin`;
    expect(JSON.stringify(cards[0]!.message)).toContain(key);

    const tap = async (userId: string, now: Date, code: string): Promise<string> => {
      inboxId += 1;
      const msg: InboundMessage = {
        type: 'template_card_event',
        fromUserName: userId,
        toUserName: 'corp',
        createTime: String(inboxId),
        agentId: '1',
        eventKey: key,
        taskId: `notice_${noticeId}_checkin_0`,
        cardType: 'button_interaction',
        responseCode: code,
        selectedItems: [],
      };
      const changes = await handle(msg, { inboxId, now });
      await db.commit(changes);
      return queuedTexts(changes, userId);
    };
    expect(await tap('lisi', new Date('2026-06-09T06:00:00Z'), 'rc0')).toContain('还没到会议当天');
    expect(await tap('lisi', MEETING, 'rc1')).toContain('签到成功：《优化营商环境专题协商会》');
    expect(await tap('lisi', MEETING, 'rc2')).toContain('您已签到');
    expect(await tap('wangwu', MEETING, 'rc3')).toContain('不是发给您的');
    expect(await tap('lisi', new Date('2026-06-11T02:00:00Z'), 'rc4')).toContain('已经结束');
    const updates = (await db.outbox.listForUser('lisi', 0, 50)).flatMap((o) =>
      o.cardUpdate ? [o.cardUpdate.replaceName] : [],
    );
    expect(updates).toEqual(['已签到', '已签到']);
    const lisi = await dutyRecord(db, { userId: 'lisi' }, 2026, new Date('2026-06-11T02:00:00Z'));
    expect(lisi.counts).toMatchObject({ meeting_attend: 1, meeting_absent: 0 });
    expect(lisi.entries.map((e) => e.what)).toEqual(['出席《优化营商环境专题协商会》（签到）']);
  });

  it('staff register attendance in chat: the 参加 list, absentees by name or number, one who came unannounced', async () => {
    const after = new Date('2026-06-10T09:00:00Z');
    expect(await say('wangwu', '登记出席情况', MORNING)).toContain('目前没有已召开的会议');
    expect(await say('zhangsan', '登记出席情况', after)).not.toContain('回执参加');
    const sheet = await say('wangwu', '会开完了，登记一下谁没来', after);
    expect(sheet).toContain('回执参加 1 人：\n1. 李四');
    expect(sheet).toContain('未回执 1 人：张三');
    expect(await say('wangwu', '王小明没来', after)).toContain('名单上没有「王小明」');
    const preview = await say('wangwu', '1号没来；张三也来了', after);
    expect(preview).toContain('出席 1 人：张三');
    expect(preview).toContain('缺席 1 人：李四');
    expect(await say('wangwu', '是', after)).toContain(
      '已登记《优化营商环境专题协商会》出席情况：出席 1 人，缺席 1 人',
    );
    const lisi = await dutyRecord(db, { userId: 'lisi' }, 2026, after);
    expect(lisi.counts).toMatchObject({ meeting_attend: 0, meeting_absent: 1 });
    const zhang = await dutyRecord(db, { userId: 'zhangsan' }, 2026, after);
    expect(zhang.counts).toMatchObject({ meeting_attend: 1, meeting_no_reply: 0 });
    // The sheet now shows what was registered.
    await say('wangwu', '登记出席情况', after);
    expect(await say('wangwu', '退出', after)).toBeTruthy();
  });
});

describe('what staff type to register attendance', () => {
  const sheet = [
    { userId: 'a', name: '张三', answer: 'attend' as const },
    { userId: 'b', name: '李四', answer: 'attend' as const },
    { userId: 'c', name: '王和平', answer: 'attend' as const },
    { userId: 'd', name: '赵六', answer: null },
    { userId: 'e', name: '钱七', answer: 'leave' as const },
  ];
  it.each([
    ['全部出席', [], []],
    ['都到齐了', [], []],
    ['没有缺席', [], []],
    ['张三', ['a'], []],
    ['张三、李四没来', ['a', 'b'], []],
    ['缺席：1号和2号', ['a', 'b'], []],
    ['王和平没到', ['c'], []],
    ['张三 李四', ['a', 'b'], []],
    ['李四没来；赵六也来了', ['b'], ['d']],
    ['出席的有赵六；缺席：张三委员', ['a'], ['d']],
    ['钱七', ['e'], []],
  ])('%s', (text, absent, extra) => {
    expect(parseAttendanceInput(text, sheet)).toEqual({ ok: true, absent, extraPresent: extra });
  });
  it('names not on the list are named back', () => {
    expect(parseAttendanceInput('张三、孙八', sheet)).toEqual({ ok: false, unknown: ['孙八'] });
    expect(parseAttendanceInput('9号', sheet)).toEqual({ ok: false, unknown: ['9号'] });
  });
});
