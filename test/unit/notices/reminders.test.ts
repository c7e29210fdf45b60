import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReminderPoller } from '../../../src/features/notices/reminders.js';
import type { Database } from '../../../src/core/ports.js';
import { STAFF, T0, hours, member, sentNotice } from './helpers.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([STAFF, member('a'), member('b'), member('c'), member('d')]);
});
afterEach(async () => {
  await db.close();
});

function poller(clock: { now: Date }) {
  return createReminderPoller({
    db,
    clock: { now: () => clock.now },
    logger: pino({ level: 'silent' }),
    pollMs: 10,
  });
}

async function batches(): Promise<{ key: string; to: string[]; text: string }[]> {
  const claimed = await db.outbox.claimDue(hours(1000), 100, 1000);
  return claimed
    .filter((i) => i.dedupKey.includes(':remind:'))
    .map((i) => ({
      key: i.dedupKey,
      to: i.recipients ?? [],
      text:
        i.message.msgtype === 'text'
          ? i.message.text.content
          : i.message.msgtype === 'template_card'
            ? JSON.stringify(i.message.template_card)
            : '',
    }));
}

describe('reminder poller', () => {
  it('reminds non-responders before the deadline and attendees on the morning, once each', async () => {
    // Starts 2026-11-05 09:00 (+72 h), reply by 11-04 09:00 (+48 h): reminders at +24 h and 11-05 08:00 (+71 h).
    const n = await sentNotice(db, 'k');
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'a', answer: 'attend', reason: null, at: T0 },
      { type: 'notice.answer', noticeId: n.id, userId: 'b', answer: 'leave', reason: null, at: T0 },
      {
        type: 'notice.delivery',
        noticeId: n.id,
        userIds: ['d'],
        delivery: 'failed',
        error: 'invaliduser',
        at: T0,
      },
    ]);
    const clock = { now: hours(23) };
    const p = poller(clock);
    expect(await p.runOnce()).toBe(0);
    clock.now = hours(24);
    expect(await p.runOnce()).toBe(1);
    expect(await p.runOnce()).toBe(0);
    // Another instance (a restart) finds nothing left to do.
    expect(await poller(clock).runOnce()).toBe(0);
    clock.now = hours(71);
    expect(await poller(clock).runOnce()).toBe(1);
    const sent = await batches();
    expect(sent.map((b) => [b.key, b.to])).toEqual([
      [`notice:${n.id}:remind:scheduled:0`, ['c']],
      [`notice:${n.id}:remind:morning:0`, ['a']],
    ]);
    expect(sent[0]!.text).toMatch(/您尚未回复《停车难专题协商会》.*请于 11月4日 09:00 前回复/);
    // The morning one is a card: the reminder and a 签到 button whose tap records the 出席.
    const card = JSON.parse(sent[1]!.text) as Record<string, unknown>;
    expect(card).toMatchObject({
      card_type: 'button_interaction',
      sub_title_text:
        '【会议提醒】今天 09:00 在 三楼会议室 召开《停车难专题协商会》，请准时参加。到达会场后请点「签到」。',
      task_id: `notice_${n.id}_checkin_0`,
      button_list: [{ text: '签到', key: `notice:${n.id}:checkin` }],
    });
  });

  it('survives a restart: a reminder due while nothing ran is sent by the next process, by one of two', async () => {
    await sentNotice(db, 'k');
    const clock = { now: hours(30) };
    const [x, y] = await Promise.all([poller(clock).runOnce(), poller(clock).runOnce()]);
    expect(x + y).toBe(4);
    expect((await batches()).map((b) => b.to)).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('runs in the background until stopped', async () => {
    await sentNotice(db, 'k');
    const clock = { now: hours(30) };
    const p = poller(clock);
    p.start();
    for (let i = 0; i < 100 && (await noticeStore(db).reminders(1)).every((r) => r.doneAt === null); i++)
      await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    expect((await noticeStore(db).reminders(1)).map((r) => r.doneAt !== null)).toEqual([true, false]);
  });
});
