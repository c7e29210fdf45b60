/**
 * The lifecycle service on every backend: transitions write state, timeline, records and notices; refusals change
 * nothing; a redo adds nothing; deadline work runs once across pollers (instances) and restarts.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Database, Member } from '../../src/core/ports.js';
import type { NewProposal } from '../../src/features/proposals/ports.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';
import { createDeadlinePoller } from '../../src/features/proposals/lifecycle/deadlines.js';
import { createLifecycleService } from '../../src/features/proposals/lifecycle/service.js';
import type { LifecycleCommand } from '../../src/features/proposals/domain/lifecycle.js';
import { StaleProposalError } from '../../src/features/proposals/rows.js';
import { databaseBackends, useDatabase } from './backends.js';

const UNITS = ['县教育局', '县财政局', '县民政局'];
const service = createLifecycleService({
  meetingWorkingDays: 15,
  replyMonths: 3,
  evaluationWorkingDays: 15,
  returnWorkingDays: 5,
  remindWorkingDaysBefore: 3,
  followUpMonths: 6,
  noEvaluationRule: 'deemed_satisfied',
  units: UNITS,
});

const person = (userId: string, role: Member['role'], unit: string | null = null): Member => ({
  userId,
  name: userId,
  role,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
  unit,
});
const MEMBERS = [
  person('owner', 'member'),
  person('cosig', 'member'),
  person('other', 'member'),
  person('staff1', 'staff'),
  person('staff2', 'staff'),
  person('lead', 'supervisor'),
  person('edu1', 'unit', '县教育局'),
  person('edu2', 'unit', '县教育局'),
  person('civil1', 'unit', '县民政局'),
  // 县财政局 has no contact: staff work it on its behalf (代录).
];

// Thursday 2026-09-24 10:00 Shanghai: the eve of 中秋 and 国庆.
const T0 = new Date('2026-09-24T02:00:00Z');
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);

const proposal = (seq: number): NewProposal => ({
  submitKey: `lifecycle-${seq}`,
  year: 2026,
  seq,
  number: `〔2026〕第${String(seq).padStart(3, '0')}号`,
  ownerId: 'owner',
  title: `关于第${seq}件事的建议`,
  category: '社会建设',
  subcategory: null,
  reason: '情况分析',
  suggestions: '具体建议',
  handlingUnits: ['县教育局'],
  isPublic: true,
  privateReason: null,
});

async function seed(db: Database, seq = 1): Promise<number> {
  await db.members.upsertMany(MEMBERS);
  await db.commit([{ type: 'proposal.submit', proposal: proposal(seq), cosignerIds: ['cosig'], at: T0 }]);
  const p = await proposalStore(db).getBySubmitKey(`lifecycle-${seq}`);
  if (!p) throw new Error('not submitted');
  await db.commit([
    { type: 'cosigner.respond', proposalId: p.id, userId: 'cosig', status: 'accepted', at: T0 },
  ]);
  return p.id;
}

async function inbox(db: Database, userId: string): Promise<string[]> {
  return (await db.outbox.listForUser(userId, 0, 500)).map((i) =>
    i.message.msgtype === 'text' ? i.message.text.content : `[card] ${JSON.stringify(i.message)}`,
  );
}

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`proposal lifecycle service: ${backend.name}`, () => {
    const ctx = useDatabase(backend);
    const act = (id: number, actorId: string, command: LifecycleCommand, at = T0, onBehalfOfUnit?: string) =>
      service.act(ctx.db, at, {
        proposalId: id,
        actorId,
        command,
        ...(onBehalfOfUnit ? { onBehalfOfUnit } : {}),
      });
    const ok = async (...args: Parameters<typeof act>) => {
      const r = await act(...args);
      if (!r.ok) throw new Error(`${args[2].action} refused: ${r.status} ${r.reason}`);
      return r;
    };

    it('submit → 立案 → 交办 → 签收 → 面商 → 会办 → 答复 → 审核 → 满意 → 办结, each notice once', async () => {
      const id = await seed(ctx.db);
      await ok(id, 'staff1', { action: 'accept' });
      await ok(id, 'staff1', { action: 'register', category: '社会建设' });
      const assigned = await ok(id, 'staff1', { action: 'assign', host: '县教育局', co: ['县财政局'] });
      expect(assigned.to).toBe('assigned');
      const host = assigned.proposal.assignments.find((a) => a.role === 'host');
      // 15 working days after 2026-09-24 across 中秋 and 国庆 (10月10日 a working Saturday).
      expect(host).toMatchObject({
        meetingDue: '2026-10-22',
        returnBy: '2026-10-09',
        replyDue: '2026-12-24',
      });
      expect(assigned.proposal.assignments.find((a) => a.role === 'co')?.contacts).toEqual([]);

      expect((await ok(id, 'edu1', { action: 'sign' }, later(1))).to).toBe('in_progress');
      // The co unit has no contact: staff sign and send its opinion for it, recorded as 代录.
      await ok(id, 'staff2', { action: 'sign' }, later(1), '县财政局');
      await ok(
        id,
        'edu2',
        { action: 'record_meeting', date: '2026-09-28', way: '面谈', participants: 'owner、edu2' },
        later(4),
      );
      await ok(
        id,
        'staff2',
        { action: 'co_opinion', text: '同意主办单位意见，资金按程序安排' },
        later(5),
        '县财政局',
      );
      expect(
        (await ok(id, 'edu1', { action: 'reply', resultClass: 'A', text: '已解决' }, later(30))).to,
      ).toBe('reply_review');
      expect((await ok(id, 'staff1', { action: 'approve_reply' }, later(31))).to).toBe('replied');
      const closed = await ok(
        id,
        'owner',
        { action: 'evaluate', rating: '满意', comment: '办理认真' },
        later(32),
      );
      expect(closed.to).toBe('closed');

      const v = closed.proposal;
      expect(v.statusLabel).toBe('已办结');
      expect(v.timeline.map((e) => e.kind)).toEqual([
        'submitted',
        'accept',
        'register',
        'assign',
        'sign',
        'sign',
        'record_meeting',
        'co_opinion',
        'reply',
        'approve_reply',
        'evaluate',
      ]);
      const proxied = v.timeline.filter((e) => e.onBehalf);
      expect(proxied.map((e) => [e.kind, e.actorId, e.unit])).toEqual([
        ['sign', 'staff2', '县财政局'],
        ['co_opinion', 'staff2', '县财政局'],
      ]);
      expect(v.meetings).toMatchObject([
        { unit: '县教育局', date: '2026-09-28', way: '面谈', source: 'unit' },
      ]);
      expect(v.replies).toMatchObject([{ resultClass: 'A', review: 'approved' }]);
      expect(v.evaluations).toMatchObject([{ rating: '满意', comment: '办理认真' }]);
      expect(v.dueDate).toBeNull();

      // Who was told what, once each.
      const owner = await inbox(ctx.db, 'owner');
      expect(owner.filter((t) => t.includes('已通过预审'))).toHaveLength(1);
      expect(owner.filter((t) => t.includes('已立案'))).toHaveLength(1);
      expect(owner.filter((t) => t.includes('已交办'))).toHaveLength(1);
      expect(owner.filter((t) => t.includes('已签收'))).toHaveLength(1);
      expect(owner.filter((t) => t.includes('记录了与您的面商'))).toHaveLength(1);
      expect(owner.filter((t) => t.startsWith('[card]') && t.includes('proposal:eval:'))).toHaveLength(1);
      expect(owner.some((t) => t.includes('已办结'))).toBe(false); // the proposer acted: no notice to themselves
      expect((await inbox(ctx.db, 'cosig')).filter((t) => t.includes('已交办'))).toHaveLength(1);
      for (const contact of ['edu1', 'edu2']) {
        const got = await inbox(ctx.db, contact);
        expect(got.filter((t) => t.includes('【提案交办】'))).toHaveLength(1);
        expect(got.filter((t) => t.includes('【会办意见】'))).toHaveLength(1);
        expect(got.filter((t) => t.includes('评价「满意」'))).toHaveLength(1);
      }
      // 县财政局's 交办 notice goes to the other staff (staff1 assigned it), marked 代…; staff review the reply.
      const staff1 = await inbox(ctx.db, 'staff1');
      const staff2 = await inbox(ctx.db, 'staff2');
      expect(staff2.filter((t) => t.includes('【提案交办】') && t.includes('代县财政局'))).toHaveLength(1);
      expect(staff1.filter((t) => t.includes('【提案交办】'))).toHaveLength(0);
      expect(staff1.filter((t) => t.includes('【答复待审核】'))).toHaveLength(1);
      expect(await inbox(ctx.db, 'other')).toEqual([]);
      expect(await inbox(ctx.db, 'civil1')).toEqual([]);
    });

    it('不满意 → 重新办理 with a new due date → 满意', async () => {
      const id = await seed(ctx.db);
      await ok(id, 'staff1', { action: 'register' });
      await ok(id, 'staff1', { action: 'assign', host: '县民政局' });
      await ok(id, 'civil1', { action: 'sign' });
      await ok(id, 'civil1', { action: 'reply', resultClass: 'B', text: '列入明年计划' });
      await ok(id, 'lead', { action: 'approve_reply' });
      const unhappy = await ok(
        id,
        'owner',
        { action: 'evaluate', rating: '不满意', comment: '没有时间表' },
        later(10),
      );
      expect(unhappy.to).toBe('rehandling');
      expect(unhappy.proposal.rehandlingRound).toBe(1);
      expect(unhappy.proposal.dueDate).toBe('2027-01-04');
      expect((await inbox(ctx.db, 'civil1')).filter((t) => t.includes('请重新办理'))).toHaveLength(1);
      await ok(id, 'civil1', { action: 'reply', resultClass: 'A', text: '已明确时间表' }, later(20));
      await ok(id, 'staff1', { action: 'approve_reply' }, later(21));
      const done = await ok(id, 'owner', { action: 'evaluate', rating: '满意' }, later(22));
      expect(done.to).toBe('closed');
      expect(done.proposal.replies.map((r) => [r.round, r.resultClass])).toEqual([
        [0, 'B'],
        [1, 'A'],
      ]);
      expect(done.proposal.evaluations.map((e) => e.rating)).toEqual(['不满意', '满意']);
      // Evaluation cards: one per round.
      const cards = (await inbox(ctx.db, 'owner')).filter((t) => t.includes('proposal:eval:'));
      expect(cards).toHaveLength(2);
    });

    it('不予立案 with a ground tells the member why; 并案 follows the primary; illegal actions change nothing', async () => {
      const a = await seed(ctx.db, 1);
      const b = await seed(ctx.db, 2);
      const rejected = await ok(a, 'staff1', {
        action: 'reject',
        ground: '内容空泛、没有具体建议的',
        note: '建议不具体',
      });
      expect(rejected.to).toBe('not_registered');
      expect(
        (await inbox(ctx.db, 'owner')).filter((t) => t.includes('理由：内容空泛、没有具体建议的')),
      ).toHaveLength(1);

      const c = await seed(ctx.db, 3);
      const merged = await ok(c, 'staff1', { action: 'merge', into: b });
      expect(merged.proposal).toMatchObject({ status: 'merged', mergedInto: b });
      expect(
        (await inbox(ctx.db, 'owner')).filter(
          (t) => t.includes('已并案办理') && t.includes('〔2026〕第002号'),
        ),
      ).toHaveLength(1);

      const before = await service.view(ctx.db, T0, b);
      const outboxBefore = await ctx.db.outbox.countByStatus();
      const refusals = [
        await act(b, 'owner', { action: 'register' }),
        await act(b, 'staff1', { action: 'evaluate', rating: '满意' }),
        await act(b, 'edu1', { action: 'sign' }),
        await act(b, 'staff1', { action: 'assign', host: '县教育局' }),
        await act(b, 'nobody', { action: 'withdraw' }),
        await act(b, 'staff1', { action: 'merge', into: c }),
      ];
      expect(refusals.map((r) => (r.ok ? 'ok' : r.status))).toEqual([403, 403, 403, 409, 403, 409]);
      const reason = refusals[3];
      expect(reason && !reason.ok && reason.reason).toContain('只能在「已立案」状态下交办');
      expect(await service.view(ctx.db, T0, b)).toEqual(before);
      expect(await ctx.db.outbox.countByStatus()).toEqual(outboxBefore);
      // Unknown units are a 400 and change nothing either.
      await ok(b, 'staff1', { action: 'register' });
      expect(await act(b, 'staff1', { action: 'assign', host: '县外星局' })).toMatchObject({
        ok: false,
        status: 400,
      });
      // 代录 only for a unit without a contact.
      await ok(b, 'staff1', { action: 'assign', host: '县教育局', co: ['县财政局'] });
      expect(await act(b, 'staff1', { action: 'sign' }, T0, '县教育局')).toMatchObject({
        ok: false,
        status: 409,
      });
    });

    it('申请退回: staff approve and 交办 again; the old unit is off it, the new one works it', async () => {
      const id = await seed(ctx.db);
      await ok(id, 'staff1', { action: 'register' });
      await ok(id, 'staff1', { action: 'assign', host: '县教育局', co: ['县财政局'] });
      const asked = await ok(id, 'edu1', { action: 'request_return', reason: '属县民政局职责' }, later(1));
      expect(asked.to).toBe('return_requested');
      expect((await inbox(ctx.db, 'staff2')).filter((t) => t.includes('【申请退回】'))).toHaveLength(1);
      const approved = await ok(id, 'staff1', { action: 'decide_return', approve: true }, later(2));
      expect(approved.to).toBe('registered');
      const again = await ok(id, 'staff1', { action: 'assign', host: '县民政局' }, later(3));
      expect(again.proposal.assignments.map((a) => [a.unit, a.state])).toEqual([
        ['县教育局', 'reassigned'],
        ['县财政局', 'reassigned'],
        ['县民政局', 'pending'],
      ]);
      expect(await act(id, 'edu1', { action: 'sign' }, later(3))).toMatchObject({ ok: false, status: 403 });
      expect((await ok(id, 'civil1', { action: 'sign' }, later(3))).to).toBe('in_progress');
      // Approved with a new host named at once: that unit's contacts are told it is theirs now, once.
      const other = await seed(ctx.db, 2);
      await ok(other, 'staff1', { action: 'register' });
      await ok(other, 'staff1', { action: 'assign', host: '县教育局' });
      await ok(other, 'edu1', { action: 'request_return', reason: '属县民政局职责' }, later(1));
      const before = (await inbox(ctx.db, 'civil1')).length;
      const moved = await ok(
        other,
        'staff1',
        { action: 'decide_return', approve: true, host: '县民政局' },
        later(2),
      );
      expect(moved.to).toBe('assigned');
      const told = (await inbox(ctx.db, 'civil1')).slice(before);
      expect(told).toEqual([expect.stringContaining('现改交贵单位主办')]);
      // Past its window a unit may no longer ask.
      const late = await act(id, 'civil1', { action: 'request_return', reason: '…' }, later(30));
      expect(late).toMatchObject({ ok: false, status: 409 });
    });

    it('a redo of the same decision adds nothing; a stale one fails whole', async () => {
      const id = await seed(ctx.db);
      const planned = await service.plan(ctx.db, T0, {
        proposalId: id,
        actorId: 'staff1',
        command: { action: 'accept' },
      });
      if (!planned.ok) throw new Error('refused');
      await ctx.db.commit(planned.changes);
      const outbox = await ctx.db.outbox.countByStatus();
      await expect(ctx.db.commit(planned.changes)).rejects.toBeInstanceOf(StaleProposalError);
      expect(await ctx.db.outbox.countByStatus()).toEqual(outbox);
      expect((await proposalStore(ctx.db).timeline(id)).map((e) => e.kind)).toEqual(['submitted', 'accept']);
    });

    it('deadline reminders fire once across two pollers and a restart; the 面商 question once', async () => {
      const id = await seed(ctx.db);
      await ok(id, 'staff1', { action: 'register' });
      await ok(id, 'staff1', { action: 'assign', host: '县教育局', co: ['县财政局'], dueDate: '2026-11-30' });
      await ok(id, 'edu1', { action: 'sign' });
      let now = T0;
      const clock = { now: () => now };
      const logger = pino({ level: 'silent' });
      const poller = (db: Database) => createDeadlinePoller({ db, clock, logger, service, pollMs: 1000 });
      const first = poller(ctx.db);
      const second = poller(await ctx.openAnother());

      now = new Date('2026-10-22T02:00:00Z'); // 面商 due: the question and the unit reminder are due
      await Promise.all([first.runOnce(), second.runOnce()]);
      await first.runOnce();
      const cards = (await inbox(ctx.db, 'owner')).filter((t) => t.includes('proposal:meeting:'));
      expect(cards).toHaveLength(1);
      expect((await inbox(ctx.db, 'edu1')).filter((t) => t.includes('【面商提醒】'))).toHaveLength(1);

      now = new Date('2026-12-02T02:00:00Z'); // past the reply due date
      await first.runOnce();
      const restarted = poller(await ctx.openAnother());
      await restarted.runOnce();
      await second.runOnce();
      expect((await inbox(ctx.db, 'edu2')).filter((t) => t.includes('【答复提醒】'))).toHaveLength(1);
      expect((await inbox(ctx.db, 'staff1')).filter((t) => t.includes('【逾期】'))).toHaveLength(1);
      const list = await service.list(ctx.db, now, { overdue: true });
      expect(list.items.map((i) => i.id)).toEqual([id]);
      const todo = await service.todo(ctx.db, now, 'edu2');
      expect(todo).toMatchObject([
        { proposalId: id, what: '待面商', dueDate: '2026-10-22', overdue: true },
        { proposalId: id, what: '待答复', dueDate: '2026-11-30', overdue: true },
      ]);
    });

    it('no evaluation by the deadline: 视为满意 and 办结; B/C replies get a 跟踪问效 reminder', async () => {
      const id = await seed(ctx.db);
      await ok(id, 'staff1', { action: 'register' });
      await ok(id, 'staff1', { action: 'assign', host: '县教育局' });
      await ok(id, 'edu1', { action: 'sign' });
      await ok(id, 'edu1', { action: 'reply', resultClass: 'C', text: '暂不具备条件' });
      await ok(id, 'staff1', { action: 'approve_reply' });
      let now = new Date('2026-11-30T02:00:00Z');
      const p = createDeadlinePoller({
        db: ctx.db,
        clock: { now: () => now },
        logger: pino({ level: 'silent' }),
        service,
        pollMs: 1000,
      });
      await p.runOnce();
      const v = await service.view(ctx.db, now, id);
      expect(v).toMatchObject({ status: 'closed', evaluations: [{ rating: '视为满意' }] });
      now = new Date('2027-04-01T02:00:00Z');
      await p.runOnce();
      await p.runOnce();
      expect((await inbox(ctx.db, 'staff2')).filter((t) => t.includes('【跟踪问效】'))).toHaveLength(1);

      const stats = await service.statistics(ctx.db, now, 2026);
      expect(stats).toMatchObject({ total: 1, registrationRate: 1, onTimeReplyRate: 1, satisfactionRate: 1 });
      expect(stats.byUnit).toMatchObject([{ unit: '县教育局', host: 1, replied: 1, onTime: 1 }]);
    });
  });
}
