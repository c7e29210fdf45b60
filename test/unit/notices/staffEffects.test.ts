import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { WECOM_APP } from '../../../src/core/actor.js';
import { createEffectRunner } from '../../../src/core/runEffect.js';
import type { Database, Member } from '../../../src/core/ports.js';
import type { FlowInput, FlowState, JsonValue } from '../../../src/flows/index.js';
import { checkNames } from '../../../src/features/notices/staffEffects.js';
import { formatReceiptsText, noticeReceipts } from '../../../src/features/notices/noticeReceipts.js';
import { STAFF, T0, hours, member, sentNotice, flowState } from './helpers.js';
import { testRegistry, testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([
    STAFF,
    member('a', { name: '张三' }),
    member('b', { name: '李四', sector: '教育界' }),
    member('c', { name: '王五', sector: '教育界', committee: '经济委员会' }),
  ]);
});
afterEach(async () => {
  await db.close();
});

const state = (seq: number): FlowState => flowState('notice_stats', { seq });

async function run(type: string, payload: Record<string, JsonValue>, now = T0, seq = 1, who: Member = STAFF) {
  const runner = createEffectRunner({ effects: testRegistry.effects, db, logger: pino({ level: 'silent' }) });
  const r = await runner(
    { id: 'e1', type, payload, awaitsResult: true },
    { state: state(seq), now, context: {}, actor: { channel: WECOM_APP, id: who.userId, member: who } },
  );
  await db.commit(r.changes);
  return { ...r, data: dataOf(r.result) };
}

function dataOf(result: FlowInput): Record<string, unknown> {
  if (result.type !== 'effectResult' || !result.ok) throw new Error('not an ok effect result');
  return Object(result.data);
}

describe('通知统计 for any notice', () => {
  it('lists recent notices and picks one by number, day or title word (before: only the latest)', async () => {
    const first = await sentNotice(db, 'k1', { title: '停车难专题协商会' }, T0);
    await sentNotice(db, 'k2', { title: '营商环境调研', startsAt: '2026-11-08 09:00' }, hours(1));
    const list = await run('notice.statsList', {});
    expect(list.data).toMatchObject({ count: 2 });
    expect(String(list.data['text'])).toMatch(
      /1\. 11月8日 《营商环境调研》\n2\. 11月5日 《停车难专题协商会》/,
    );
    for (const which of ['2', '２', '二', '停车难', '11月5日']) {
      const r = await run('notice.stats', { which });
      expect(r.data, which).toMatchObject({ found: true, noticeId: String(first.id) });
      expect(String(r.data['text'])).toMatch(/^《停车难专题协商会》/);
    }
    expect((await run('notice.stats', { which: '' })).data['text']).toMatch(/^《营商环境调研》/);
    expect((await run('notice.stats', { which: '9' })).data).toMatchObject({ found: false });
  });

  it('names attendees within the text limit', async () => {
    const many = Array.from({ length: 400 }, (_, i) => member(`m${i}`, { name: `委员名字${i}` }));
    await db.members.upsertMany(many);
    const n = await sentNotice(db, 'k');
    await db.commit(
      many.slice(0, 300).map((m) => ({
        type: 'notice.answer' as const,
        noticeId: n.id,
        userId: m.userId,
        answer: 'attend' as const,
        reason: null,
        at: T0,
      })),
    );
    const receipts = await noticeReceipts(db, n.id);
    const text = formatReceiptsText(receipts!, T0);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1600);
    expect(text).toMatch(/参加：委员名字0、.*……等 300 人（完整名单请导出）/);
    expect(text).toMatch(/未回复：.*……等 103 人/);
  });
});

describe('提醒未回复', () => {
  it('the same reminder is not sent twice within 10 minutes (before: sent a minute apart)', async () => {
    const n = await sentNotice(db, 'k');
    const first = await run('notice.remind', { noticeId: String(n.id) }, hours(1), 1);
    expect(first.data).toMatchObject({ count: 3 });
    const again = await run(
      'notice.remind',
      { noticeId: String(n.id) },
      new Date(hours(1).getTime() + 60_000),
      2,
    );
    expect(again.data['count']).toBe(0);
    expect(again.changes).toEqual([]);
    expect(String(again.data['text'])).toMatch(
      /提醒已于 11月2日 10:00 发出.*请在 11月2日 10:10 以后再发送「提醒未回复」/,
    );
    expect(String((await run('notice.stats', {}, hours(1))).data['text'])).toMatch(/上次提醒：11月2日 10:00/);
    const later = await run('notice.remind', { noticeId: String(n.id) }, hours(2), 3);
    expect(later.data).toMatchObject({ count: 3 });
  });
});

describe('notice.checkAudience', () => {
  it('refuses a 界别 that does not exist at the question, suggesting the real one (before: only at the preview)', async () => {
    const bad = await run('notice.checkAudience', { sectors: '教育、经济界' });
    expect(bad.data).toMatchObject({ ok: false });
    expect(String(bad.data['text'])).toMatch(/没有「教育」这个界别，您是指「教育界」吗？/);
    expect(String(bad.data['text'])).toMatch(/现有界别：经济界、教育界/);
    expect((await run('notice.checkAudience', { sectors: '教育界、经济界' })).data).toMatchObject({
      ok: true,
    });
    expect((await run('notice.checkAudience', { committees: '经济委员会' })).data).toMatchObject({
      ok: true,
    });
    expect(checkNames('农业', ['经济界'], '界别')).toEqual(['没有「农业」这个界别。']);
  });
});
