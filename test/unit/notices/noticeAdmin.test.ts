import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noticeAdminRoutes } from '../../../src/features/notices/adminRoutes.js';
import { createNoticeAdmin } from '../../../src/features/notices/noticeAdmin.js';
import { createApp } from '../../../src/http/createApp.js';
import type { Database } from '../../../src/core/ports.js';
import type { MessageSender } from '../../../src/channels/wecomApp/index.js';
import { testSender } from '../../support/testSender.js';
import { formatShanghai } from '../../../src/features/notices/domain/index.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { WecomApiError } from '../../../src/wecom/errors.js';
import { inject } from '../../http/inject.js';
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

describe('notice admin routes', () => {
  const TOKEN = 'unit-admin-token-0123456789';
  function api() {
    const { a } = admin();
    const app = createApp({
      logger: pino({ level: 'silent' }),
      verifyUrl: () => '',
      ingest: async () => ({ status: 200 }),
      readiness: async () => ({}),
      isAccepting: () => true,
      admin: { token: TOKEN, routes: noticeAdminRoutes(a) },
    });
    return (method: 'GET' | 'POST', path: string, json?: unknown) =>
      inject(app, {
        method,
        url: `/admin/api${path}`,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
  }

  it('reports shape problems (zod) and rule problems (domain) together, one per field', async () => {
    const call = api();
    const res = await call('POST', '/notices', {
      title: '',
      kind: '茶话会',
      startsAt: '明天上午',
      place: 'x'.repeat(40),
      content: 5,
      audience: { sectors: ['经济界', 7], groups: ['x'] },
      replyBy: formatShanghai(hours(-1)),
      leaveNeedsReason: 'yes',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.json).toHaveProperty('problems', [
      { field: 'content', message: '应为文字' },
      { field: 'audience.sectors.1', message: '应为文字' },
      { field: 'audience.groups', message: '未知字段「groups」' },
      { field: 'leaveNeedsReason', message: '应为 true 或 false' },
      { field: 'colour', message: '未知字段「colour」' },
      { field: 'title', message: '标题不能为空' },
      { field: 'place', message: '地点不能超过 26 个字（现有 40 个字）' },
      { field: 'kind', message: expect.stringContaining('类型应为以下之一') },
      { field: 'startsAt', message: expect.stringContaining('开始时间「明天上午」无法识别') },
      { field: 'replyBy', message: '回执截止时间已过，请填写将来的时间' },
    ]);
    // Nothing was stored (the first notice would have id 1).
    expect(await noticeStore(db).get(1)).toBeNull();
  });

  it('reports only the body when it is not an object, and the roster once the fields are right', async () => {
    const call = api();
    expect((await call('POST', '/notices', ['x'])).json).toHaveProperty('problems', [
      { field: '(body)', message: '应为 JSON 对象' },
    ]);
    const nobody = await call('POST', '/notices', body({ audience: { sectors: ['不存在界'] } }));
    expect(nobody).toMatchObject({
      status: 400,
      json: { problems: [{ field: 'audience.sectors', message: '以下界别没有在册委员：不存在界' }] },
    });
  });

  it('creates (201), refuses to remind an unsent notice (409), sends (202), and 404s unknown or malformed ids', async () => {
    const call = api();
    const created = await call('POST', '/notices', body());
    expect(created.status).toBe(201);
    const id = Number((created.json as { id: number }).id);
    expect(await call('POST', `/notices/${id}/remind`)).toMatchObject({
      status: 409,
      json: { error: 'conflict', message: '通知尚未发送，无法提醒' },
    });
    expect(await call('POST', `/notices/${id}/send`)).toMatchObject({
      status: 202,
      json: { id, recipients: 2 },
    });
    expect(await call('GET', `/notices/${id}/receipts`)).toMatchObject({
      status: 200,
      json: { counts: { total: 2 } },
    });
    for (const path of [
      '/notices/42/send',
      '/notices/0/remind',
      '/notices/abc/receipts',
      '/notices/9999999999/send',
    ])
      expect(await call(path.endsWith('receipts') ? 'GET' : 'POST', path)).toMatchObject({
        status: 404,
        json: { error: 'not_found', message: '没有这份通知' },
      });
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
