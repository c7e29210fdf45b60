import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { WECOM_APP } from '../../../src/core/actor.js';
import { createEffectRunner } from '../../../src/core/runEffect.js';
import type { Database, Member } from '../../../src/core/ports.js';
import type { Effect, FlowInput, FlowState, JsonValue } from '../../../src/flows/index.js';
import { STAFF, T0, hours, member, sentNotice, flowState } from './helpers.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { testRegistry, testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([
    STAFF,
    member('a', { name: '张三' }),
    member('b', { name: '李四', sector: '教育界' }),
    member('c', { name: '王五', sector: '教育界' }),
  ]);
});
afterEach(async () => {
  await db.close();
});

const state = (startedAt: number): FlowState => flowState('notice_compose', { startedAt });

const payload: Record<string, JsonValue> = {
  title: '教育界界别协商',
  kind: '界别协商',
  startsAt: '2026-11-05 09:30',
  place: '二楼会议室',
  content: '议题：课后服务',
  audience: '按界别',
  sectors: '教育界',
  committees: '',
  userids: '',
  replyBy: '2026-11-04',
  leaveNeedsReason: true,
};

async function run(
  type: string,
  p: Record<string, JsonValue>,
  who: Member = STAFF,
  context = {},
  startedAt = 1,
) {
  const effect: Effect = { id: 'e1', type, payload: p, awaitsResult: true };
  return runEffect(effect, who, { state: state(startedAt), now: T0, context });
}

function runEffect(
  effect: Effect,
  who: Member,
  ctx: { state: FlowState; now: Date; context: Record<string, string> },
) {
  const runner = createEffectRunner({ effects: testRegistry.effects, db, logger: pino({ level: 'silent' }) });
  return runner(effect, { ...ctx, actor: { channel: WECOM_APP, id: who.userId, member: who } });
}

function dataOf(result: FlowInput | undefined): Record<string, unknown> {
  if (result?.type !== 'effectResult' || !result.ok) throw new Error('not an ok effect result');
  return Object(result.data);
}

describe('runNoticeEffect', () => {
  it('an effect no feature provides fails, and so does a payload its schema refuses', async () => {
    expect((await run('notice.unknown', {})).result).toMatchObject({ ok: false });
    expect((await run('notice.preview', { title: 1 })).result).toMatchObject({ ok: false });
  });

  it('previews with the count, or lists the reasons it cannot be sent', async () => {
    const ok = await run('notice.preview', payload);
    expect(ok?.changes).toEqual([]);
    expect(dataOf(ok?.result)).toMatchObject({
      ok: true,
      count: 2,
      text: expect.stringContaining('将发送给 2 位委员'),
    });
    const bad = await run('notice.preview', { ...payload, sectors: '农业界', startsAt: '下周' });
    expect(dataOf(bad?.result)).toMatchObject({ ok: false, count: 0 });
    expect(String(dataOf(bad?.result)['text'])).toMatch(/开始时间「下周」无法识别/);
    const names = await run('notice.preview', { ...payload, audience: '指定委员', userids: '张三、c' });
    expect(dataOf(names?.result)).toMatchObject({ ok: true, count: 2 });
    const picked = await run('notice.preview', {
      ...payload,
      audience: '指定委员',
      userids: [{ userId: 'a', name: '张三' }],
    });
    expect(dataOf(picked?.result)).toMatchObject({ ok: true, count: 1 });
    // B48: a bidi override in what staff typed is shown, not obeyed, in the preview.
    const bidi = await run('notice.preview', { ...payload, title: '停车\u202E难协商会' });
    expect(String(dataOf(bidi?.result)['text'])).toContain('停车<U+202E>难协商会');
    expect(String(dataOf(bidi?.result)['text'])).not.toContain('\u202E');
  });

  it('sends once per conversation: the notice is stored, the cards come back as changes', async () => {
    const first = await run('notice.send', payload);
    const data = dataOf(first?.result);
    expect(data).toMatchObject({ ok: true, count: 2 });
    expect(first?.changes.map((c) => c.type)).toEqual(['notice.send', 'outbox.add']);
    await db.commit(first!.changes);
    const again = await run('notice.send', payload);
    expect(dataOf(again?.result)).toMatchObject({ id: data['id'], count: 2 });
    expect(again?.changes).toEqual([]);
    const notice = await noticeStore(db).get(Number(data['id']));
    expect(notice).toMatchObject({ createdBy: 'staff1', status: 'sent', leaveNeedsReason: true });
    // Members cannot send.
    const denied = await run('notice.send', payload, member('a'));
    expect(dataOf(denied?.result)).toMatchObject({ ok: false, text: '此功能仅限工作人员使用。' });
  });

  it('stats and remind work on the latest notice', async () => {
    expect(dataOf((await run('notice.stats', {}))?.result)).toEqual({
      found: false,
      text: '还没有发送过通知。',
      noticeId: '',
    });
    const n = await sentNotice(db, 'k');
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'a', answer: 'attend', reason: null, at: T0 },
      {
        type: 'notice.answer',
        noticeId: n.id,
        userId: 'b',
        answer: 'leave',
        reason: '出差：省里开会',
        at: T0,
      },
    ]);
    const stats = String(dataOf((await run('notice.stats', {}))?.result)['text']);
    expect(stats).toMatch(/参加 1 人，请假 1 人，未回复 1 人/);
    expect(stats).toMatch(/参加：张三\n/);
    expect(stats).toMatch(/请假：李四（出差：省里开会）/);
    expect(stats).toMatch(/未回复：王五/);
    const remind = await run('notice.remind', {});
    expect(dataOf(remind?.result)).toMatchObject({ count: 1 });
    expect(remind?.changes).toEqual([
      expect.objectContaining({
        type: 'outbox.add',
        message: expect.objectContaining({
          recipients: ['c'],
          message: expect.objectContaining({ msgtype: 'text' }),
        }),
      }),
    ]);
    expect(stats).not.toMatch(/未送达/);
    await db.commit([
      {
        type: 'notice.delivery',
        noticeId: n.id,
        userIds: ['c'],
        delivery: 'failed',
        error: 'invaliduser',
        at: T0,
      },
    ]);
    const withFailure = String(dataOf((await run('notice.stats', {}))?.result)['text']);
    expect(withFailure).toMatch(/共 3 人（1 人未送达）/);
    expect(withFailure).toMatch(/未送达：王五（账号无效或已离职）/);
  });

  it('records 请假 with its reason, before the deadline only', async () => {
    const n = await sentNotice(db, 'k');
    const r = await run('notice.leave', { reasonKind: '出差', reasonText: '赴省里开会' }, member('b'), {
      noticeId: String(n.id),
    });
    expect(r?.changes).toEqual([
      {
        type: 'notice.answer',
        noticeId: n.id,
        userId: 'b',
        answer: 'leave',
        reason: '出差：赴省里开会',
        at: T0,
      },
    ]);
    const missing = await run('notice.leave', { reasonKind: '生病' }, member('b'), { noticeId: '999' });
    expect(dataOf(missing?.result)['text']).toMatch(/没有找到这份通知/);
    const late = await runEffect(
      { id: 'e2', type: 'notice.leave', payload: { reasonKind: '生病' }, awaitsResult: true },
      member('b'),
      { state: state(1), now: hours(49), context: { noticeId: String(n.id) } },
    );
    expect(late?.changes).toEqual([]);
    expect(dataOf(late?.result)['text']).toMatch(/已于.*截止/);
  });
});
