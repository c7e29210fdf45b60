import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import type { Member } from '../../src/core/ports.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';
import { BACKENDS, contentOf, settle, startHarness, type Harness } from './harness.js';
import { ADMIN_TOKEN, admin, buttonKeys } from './notices.harness.js';

/**
 * Issue 9 end to end, through the admin API of a running server and the fake WeCom API: every transition's
 * notices reach each person exactly once; refusals answer 403/409 and change nothing; deadline work runs once
 * across two instances and a restart.
 */

const person = (userId: string, name: string, role: Member['role'], unit?: string): Member => ({
  userId,
  name,
  role,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
  ...(unit ? { unit } : {}),
});
// zhangsan (member), lisi (member), wangwu (staff) come from the harness.
const MORE = [
  person('zhaoliu', '赵六', 'staff'),
  person('edu1', '教育局联络员甲', 'unit', '县教育局'),
  person('edu2', '教育局联络员乙', 'unit', '县教育局'),
  person('civil', '民政局联络员', 'unit', '县民政局'),
  person('lead', '李副主席', 'supervisor'),
];

let seq = 0;
async function submitted(h: Harness, cosigner = true): Promise<number> {
  seq += 1;
  const store = proposalStore(h.db);
  const n = (await store.maxSeq(2026)) + 1;
  await h.db.commit([
    {
      type: 'proposal.submit',
      proposal: {
        submitKey: `e2e-${seq}-${Date.now()}`,
        year: 2026,
        seq: n,
        number: `〔2026〕第${String(n).padStart(3, '0')}号`,
        ownerId: 'zhangsan',
        title: `关于改善城区第${n}小学周边交通的建议`,
        category: '社会建设',
        subcategory: null,
        reason: '情况分析……',
        suggestions: '具体建议……',
        handlingUnits: ['县教育局'],
        isPublic: true,
        privateReason: null,
      },
      cosignerIds: cosigner ? ['lisi'] : [],
      at: new Date(),
    },
  ]);
  const p = (await store.listForMember('zhangsan'))[0];
  if (!p) throw new Error('not submitted');
  if (cosigner)
    await h.db.commit([
      { type: 'cosigner.respond', proposalId: p.id, userId: 'lisi', status: 'accepted', at: new Date() },
    ]);
  return p.id;
}

async function act(h: Harness, id: number, body: Record<string, unknown>, expected = 200) {
  const r = await admin(h.server.url, 'POST', `/proposals/${id}/actions`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(expected);
  return r.json;
}

const texts = (h: Harness, user: string) => h.fake.deliveriesTo(user).map(contentOf);
const count = (h: Harness, user: string, needle: string) =>
  texts(h, user).filter((t) => t.includes(needle)).length;

describe.each(BACKENDS)('proposal lifecycle end to end ($name)', (backend) => {
  let h: Harness | undefined;
  const extra: RunningServer[] = [];
  afterEach(async () => {
    for (const s of extra.splice(0)) await s.stop();
    await h?.close();
    h = undefined;
  });

  async function start(): Promise<Harness> {
    h = await startHarness(backend, { ADMIN_TOKEN, PROPOSAL_DEADLINE_POLL_MS: '50' });
    await h.db.members.upsertMany(MORE);
    return h;
  }

  it('submit → 立案 → 交办 (主办 + 会办) → 签收 → 面商 → 会办意见 → 答复 → 审核 → 满意 → 办结', async () => {
    const h = await start();
    const id = await submitted(h);
    await act(h, id, { action: 'accept', actor: 'wangwu' });
    await act(h, id, { action: 'register', actor: 'wangwu', category: '社会建设' });
    // 县民政局 is 会办 here: its contact acts for it.
    const assigned = await act(h, id, {
      action: 'assign',
      actor: 'wangwu',
      host: '县教育局',
      co: ['县民政局'],
    });
    expect(assigned['to']).toBe('assigned');
    await act(h, id, { action: 'sign', actor: 'edu1' });
    await act(h, id, { action: 'sign', actor: 'civil' });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await act(h, id, {
      action: 'record_meeting',
      actor: 'edu2',
      date: today,
      way: '座谈',
      participants: '张三、教育局',
    });
    await act(h, id, { action: 'co_opinion', actor: 'civil', text: '建议增设护学岗' });
    await act(h, id, { action: 'reply', actor: 'edu1', resultClass: 'A', text: '已增设信号灯和护学岗' });
    await act(h, id, { action: 'approve_reply', actor: 'lead' });
    const closed = await act(h, id, { action: 'evaluate', actor: 'zhangsan', rating: '满意' });
    expect(closed['to']).toBe('closed');
    await settle(h);

    const got = await admin(h.server.url, 'GET', `/proposals/${id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ status: 'closed', statusLabel: '已办结' });
    expect((got.json['timeline'] as unknown[]).length).toBe(11);

    // The proposer: each step once, and one evaluation card with three buttons.
    for (const needle of [
      '已通过预审',
      '已立案',
      '已交办',
      '已签收',
      '记录了与您的面商',
      '承办单位县教育局已答复',
    ])
      expect(count(h, 'zhangsan', needle), needle).toBe(1);
    const cards = h.fake.deliveriesTo('zhangsan').filter((d) => d.msgtype === 'template_card');
    expect(cards.map((c) => buttonKeys(c.body))).toEqual([
      [`proposal:eval:${id}:0:satisfied`, `proposal:eval:${id}:0:basic`, `proposal:eval:${id}:0:unsatisfied`],
    ]);
    // The co-signer: 立案 and 交办 and the reply, once each.
    for (const needle of ['已立案', '已交办', '已答复']) expect(count(h, 'lisi', needle), needle).toBe(1);
    // Both contacts of the host unit; the co unit's contact; the other staff member reviews the reply.
    for (const contact of ['edu1', 'edu2']) {
      expect(count(h, contact, '【提案交办】')).toBe(1);
      expect(count(h, contact, '【会办意见】')).toBe(1);
      expect(count(h, contact, '评价「满意」')).toBe(1);
    }
    expect(count(h, 'civil', '【提案交办】')).toBe(1);
    expect(count(h, 'zhaoliu', '【答复待审核】')).toBe(1);
    expect(count(h, 'wangwu', '【答复待审核】')).toBe(1);
    // Nobody got anything twice.
    for (const user of ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'edu1', 'edu2', 'civil', 'lead']) {
      const all = texts(h, user).filter((t) => t !== '');
      expect(new Set(all).size, user).toBe(all.length);
    }
  });

  it('不满意 → 重新办理 → 满意; 不予立案 with its ground; 并案; refusals 403/409 change nothing', async () => {
    const h = await start();
    const a = await submitted(h);
    await act(h, a, { action: 'register', actor: 'wangwu' });
    await act(h, a, { action: 'assign', actor: 'wangwu', host: '县教育局' });
    await act(h, a, { action: 'sign', actor: 'edu1' });
    await act(h, a, { action: 'reply', actor: 'edu1', resultClass: 'B', text: '列入计划' });
    await act(h, a, { action: 'approve_reply', actor: 'wangwu' });
    expect(
      (await act(h, a, { action: 'evaluate', actor: 'zhangsan', rating: '不满意', comment: '太慢' }))['to'],
    ).toBe('rehandling');
    await act(h, a, { action: 'reply', actor: 'edu2', resultClass: 'A', text: '已提前实施' });
    await act(h, a, { action: 'approve_reply', actor: 'wangwu' });
    expect((await act(h, a, { action: 'evaluate', actor: 'zhangsan', rating: '满意' }))['to']).toBe('closed');

    const b = await submitted(h, false);
    await act(h, b, { action: 'reject', actor: 'wangwu', ground: '属于学术研讨的', note: '属学术探讨' });
    const c = await submitted(h, false);
    const d = await submitted(h, false);
    await act(h, d, { action: 'merge', actor: 'wangwu', into: c });

    // Refused: wrong role (403), wrong state (409), with the reason; nothing changes.
    const before = await admin(h.server.url, 'GET', `/proposals/${c}`);
    const forbidden = await act(h, c, { action: 'register', actor: 'zhangsan' }, 403);
    expect(forbidden['message']).toContain('只有提案委工作人员可以立案');
    const conflict = await act(h, b, { action: 'register', actor: 'wangwu' }, 409);
    expect(conflict['message']).toContain('提案目前为「不予立案」');
    await act(h, c, { action: 'sign', actor: 'edu1' }, 403);
    await act(h, c, { action: 'register', actor: 'system' }, 403);
    await act(h, c, { action: 'frobnicate', actor: 'wangwu' }, 400);
    await act(h, 999_999, { action: 'accept', actor: 'wangwu' }, 404);
    expect(await admin(h.server.url, 'GET', `/proposals/${c}`)).toEqual(before);
    await settle(h);

    expect(count(h, 'edu1', '请重新办理')).toBe(1);
    expect(count(h, 'zhangsan', '理由：属于学术研讨的')).toBe(1);
    expect(count(h, 'zhangsan', '已并案办理')).toBe(1);
    expect(h.fake.deliveriesTo('zhangsan').filter((x) => x.msgtype === 'template_card')).toHaveLength(2);

    const list = await admin(h.server.url, 'GET', '/proposals?year=2026&state=closed');
    expect(list.json).toMatchObject({ total: 1, items: [{ id: a, hostUnit: '县教育局' }] });
    const byUnit = await admin(
      h.server.url,
      'GET',
      '/proposals?unit=%E5%8E%BF%E6%95%99%E8%82%B2%E5%B1%80&pageSize=1',
    );
    expect(byUnit.json).toMatchObject({ total: 1, pageSize: 1 });
    expect((await admin(h.server.url, 'GET', '/proposals?overdue=maybe')).status).toBe(400);
  });

  it('deadline reminders fire once across two instances and a restart', async () => {
    const h = await start();
    const id = await submitted(h);
    await act(h, id, { action: 'register', actor: 'wangwu' });
    await act(h, id, { action: 'assign', actor: 'wangwu', host: '县教育局', co: ['县民政局'] });
    await settle(h);
    // Two more instances whose clock is 40 days on: the 面商 question and reminders are due, the reply not yet.
    const clock = { now: () => new Date(Date.now() + 40 * 86_400_000) };
    const logger = createLogger('silent');
    extra.push(
      await startServer(h.config, { clock, logger }),
      await startServer(h.config, { clock, logger }),
    );
    const asked = async () =>
      h.fake.deliveriesTo('zhangsan').filter((d) => d.msgtype === 'template_card').length;
    await expect.poll(asked, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => count(h, 'edu1', '【面商提醒】'), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => count(h, 'civil', '【面商提醒】'), { timeout: 10_000 }).toBe(1);
    // Restart both: nothing is sent again.
    for (const s of extra.splice(0)) await s.stop();
    const again = await startServer(h.config, { clock, logger });
    extra.push(again);
    // The restarted poller has run at least once when the work it would claim is all done.
    await expect
      .poll(async () => (await proposalStore(h.db).claimDueDeadlines(clock.now(), 10, 1)).length, {
        timeout: 10_000,
      })
      .toBe(0);
    await settle(h);
    expect(await asked()).toBe(1);
    expect(count(h, 'edu1', '【面商提醒】')).toBe(1);
    const card = h.fake.deliveriesTo('zhangsan').find((d) => d.msgtype === 'template_card');
    expect(buttonKeys(card?.body ?? {})).toEqual([`proposal:meeting:${id}:yes`, `proposal:meeting:${id}:no`]);
    const timeline = (await admin(h.server.url, 'GET', `/proposals/${id}`)).json['timeline'] as {
      kind: string;
    }[];
    expect(timeline.filter((e) => e.kind === 'meeting_check')).toHaveLength(1);
  });
});
