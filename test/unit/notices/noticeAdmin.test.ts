import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNoticeAdmin } from '../../../src/features/notices/noticeAdmin.js';
import type { Database } from '../../../src/core/ports.js';
import type { MessageSender } from '../../../src/channels/wecomApp/index.js';
import { testSender } from '../../support/testSender.js';
import { formatShanghai } from '../../../src/features/notices/domain/index.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { WecomApiError } from '../../../src/wecom/errors.js';
import { SETTINGS, STAFF, T0, hours, member } from './helpers.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';
import { testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany([
    STAFF,
    member('a'),
    member('b'),
    member('x', { active: false, sector: '农业界' }),
  ]);
});
afterEach(async () => {
  await db.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  title: '协商会',
  kind: '对口协商',
  startsAt: formatShanghai(hours(72)),
  place: '会议室',
  content: '议题',
  audience: { all: true },
  replyBy: formatShanghai(hours(48)),
  ...over,
});

function admin() {
  let queued = 0;
  const a = createNoticeAdmin({ db, now: () => T0, settings: SETTINGS, onQueued: () => (queued += 1) });
  return { a, queued: () => queued };
}

describe('notice admin use-cases', () => {
  it('creates once per idempotency key and checks createdBy is staff', async () => {
    const { a } = admin();
    const first = await a.create(body(), 'req-1');
    const again = await a.create(body({ title: '另一个' }), 'req-1');
    expect(first).toEqual(again);
    const other = await a.create(body(), null);
    expect(other.ok && first.ok && other.id !== first.id).toBe(true);
    expect(await a.create(body({ createdBy: 'a' }), null)).toEqual({
      ok: false,
      problems: [{ field: 'createdBy', message: 'createdBy 应为在册工作人员的账号' }],
    });
    const byStaff = await a.create(body({ createdBy: 'staff1' }), null);
    expect(byStaff.ok && (await noticeStore(db).get(byStaff.id))?.createdBy).toBe('staff1');
  });

  it('send, remind and receipts answer for unknown and unsent notices', async () => {
    const { a, queued } = admin();
    expect(await a.send(42)).toBe('notFound');
    expect(await a.remind(42, null)).toBe('notFound');
    expect(await a.receipts(42)).toBeNull();
    const c = await a.create(body(), null);
    if (!c.ok) throw new Error('not created');
    expect(await a.remind(c.id, null)).toBe('notSent');
    expect(await a.send(c.id)).toEqual({ ok: true, count: 2 });
    expect(await a.send(c.id)).toEqual({ ok: true, count: 2 });
    expect(await a.remind(c.id, 'r1')).toEqual({ count: 2 });
    expect(await a.remind(c.id, 'r1')).toEqual({ count: 2 });
    expect(queued()).toBe(4);
    // The same remind key queued its batch once.
    const reminders = (await db.outbox.claimDue(hours(1), 50, 1000)).filter((i) =>
      i.dedupKey.includes(':remind:'),
    );
    expect(reminders.map((i) => i.dedupKey)).toEqual([`notice:${c.id}:remind:admin:r1:0`]);
  });
});

describe('sender with notice batches', () => {
  async function sentWith(api: MessageSender) {
    const { a } = admin();
    const c = await a.create(body(), null);
    if (!c.ok) throw new Error('not created');
    await a.send(c.id);
    const sender = testSender({
      db,
      kv: createMemoryKeyValueStore(),
      api,
      clock: { now: () => T0 },
      logger: pino({ level: 'silent' }),
    });
    await sender.runOnce();
    return c.id;
  }
  const noUpdate = async () => undefined;

  it('marks every recipient failed when WeCom answers 81013 (all invalid)', async () => {
    const id = await sentWith({
      sendMessage: async () => {
        throw new WecomApiError({ path: 'message/send', errcode: 81013, errmsg: 'all invalid' });
      },
      updateTemplateCard: noUpdate,
    });
    const rs = await noticeStore(db).recipients(id);
    expect(rs.map((r) => [r.userId, r.delivery, r.deliveryError])).toEqual([
      ['a', 'failed', 'invaliduser'],
      ['b', 'failed', 'invaliduser'],
    ]);
    expect(await db.outbox.countByStatus()).toEqual({ pending: 0, sent: 0, failed: 1 });
  });

  it('keeps a batch pending (no recipient failed) on a transient error, sends it whole as one call', async () => {
    const calls: string[][] = [];
    const id = await sentWith({
      sendMessage: async (input) => {
        calls.push(input.touser);
        throw new WecomApiError({ path: 'message/send', errcode: -1, errmsg: 'system busy' });
      },
      updateTemplateCard: noUpdate,
    });
    expect(calls).toEqual([['a', 'b']]);
    expect((await noticeStore(db).recipients(id)).map((r) => r.delivery)).toEqual(['pending', 'pending']);
    expect(await db.outbox.countByStatus()).toEqual({ pending: 1, sent: 0, failed: 0 });
  });
});
