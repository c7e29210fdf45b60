import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/ports.js';
import type { NewReport, SentimentChange } from '../../src/features/sentiment/ports.js';
import { sentimentStore } from '../../src/features/sentiment/sentimentStore.js';
import { databaseBackends, useDatabase } from './backends.js';

const at = (minute: number): Date => new Date(Date.UTC(2030, 2, 1, 9, minute, 0, 500));

const report = (seq: number, over: Partial<NewReport> = {}): NewReport => ({
  submitKey: `key-${seq}`,
  year: 2030,
  seq,
  number: `社情〔2030〕第${String(seq).padStart(3, '0')}号`,
  source: 'member',
  reporterId: 'zhang',
  jointIds: [],
  replyTo: null,
  replyChannel: null,
  title: `关于第${seq}件事的情况反映😀`,
  category: '社会民生',
  situation: '基本情况……',
  analysis: '分析……',
  suggestions: '建议……',
  town: null,
  contact: null,
  proposalId: null,
  ...over,
});

const submit = (r: NewReport, minute = 0): Change => ({
  type: 'sentiment.submit',
  report: r,
  actorId: r.reporterId,
  at: at(minute),
});

const adopt = (
  reportId: number,
  seq: number,
  expected: 'pending' | 'adopted' = 'pending',
): SentimentChange => ({
  type: 'sentiment.act',
  reportId,
  expected,
  update: { state: 'adopted', level: '市', adoptionMode: '单篇', instructionsDelta: 0, clearReplyTo: false },
  event: {
    seq,
    action: 'adopt',
    state: 'adopted',
    actorId: 'wangwu',
    summary: '市级单篇采用',
    detail: { level: '市' },
    tell: 'queued',
  },
  at: at(5),
});

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`SentimentStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    async function idOf(key: string): Promise<number> {
      const r = await sentimentStore(ctx.db).getBySubmitKey(key);
      if (!r) throw new Error(`no report ${key}`);
      return r.id;
    }

    it('returns null / empty / 0 when there is nothing', async () => {
      const s = sentimentStore(ctx.db);
      expect(await s.get(1)).toBeNull();
      expect(await s.getBySubmitKey('none')).toBeNull();
      expect(await s.listForReporter('zhang')).toEqual([]);
      expect(await s.list({})).toEqual([]);
      expect(await s.maxSeq(2030)).toBe(0);
      expect(await s.events(1)).toEqual([]);
      expect(await s.waitingFor('c:x')).toEqual([]);
    });

    it('submits once per key: pending, with its submit event; a joint reporter sees it too', async () => {
      const r = report(1, { jointIds: ['lisi'] });
      await ctx.db.commit([submit(r)]);
      await ctx.db.commit([submit(r, 3)]);
      const s = sentimentStore(ctx.db);
      const stored = await s.get(await idOf('key-1'));
      expect(stored).toMatchObject({
        ...r,
        state: 'pending',
        level: null,
        instructions: 0,
        submittedAt: at(0),
      });
      expect((await s.events(stored!.id)).map((e) => [e.seq, e.action, e.state, e.tell])).toEqual([
        [1, 'submit', 'pending', 'none'],
      ]);
      expect((await s.listForReporter('lisi')).map((x) => x.seq)).toEqual([1]);
      expect(await s.listForReporter('li')).toEqual([]);
      expect(await s.maxSeq(2030)).toBe(1);
    });

    it('a (year, seq) collision fails the whole commit', async () => {
      await ctx.db.commit([submit(report(1))]);
      const reply: Change = {
        type: 'outbox.add',
        at: at(0),
        message: { dedupKey: 'r1', toUser: 'zhang', message: { msgtype: 'text', text: { content: 'x' } } },
      };
      await expect(ctx.db.commit([reply, submit(report(1, { submitKey: 'other' }))])).rejects.toThrow();
      expect(await ctx.db.outbox.listForUser('zhang', 0, 10)).toEqual([]);
    });

    it('acts from the expected state only; a second racer fails and nothing of its commit lands', async () => {
      await ctx.db.commit([submit(report(1))]);
      const id = await idOf('key-1');
      await ctx.db.commit([adopt(id, 2)]);
      const s = sentimentStore(ctx.db);
      expect(await s.get(id)).toMatchObject({ state: 'adopted', level: '市', adoptionMode: '单篇' });
      await expect(ctx.db.commit([adopt(id, 3)])).rejects.toThrow();
      // The state moved on, but the event seq is taken: still refused.
      await expect(ctx.db.commit([adopt(id, 2, 'adopted')])).rejects.toThrow();
      expect((await s.events(id)).map((e) => e.seq)).toEqual([1, 2]);
      expect((await s.events(id))[1]).toMatchObject({
        detail: { level: '市' },
        actorId: 'wangwu',
        at: at(5),
      });
    });

    it('counts 批示, filters the register, and keeps a citizen waiting until told', async () => {
      await ctx.db.commit([
        submit(report(1)),
        submit(
          report(2, { source: 'citizen', reporterId: 'c:abc', replyTo: 'wmXYZ', replyChannel: 'wecom-kf' }),
        ),
        submit(report(3, { year: 2031, submitKey: 'k3' })),
      ]);
      const s = sentimentStore(ctx.db);
      const c = await idOf('key-2');
      expect((await s.get(c))!.lastSeenAt).toEqual(at(0));
      await ctx.db.commit([
        {
          type: 'sentiment.act',
          reportId: c,
          expected: 'pending',
          update: { state: 'kept', level: null, instructionsDelta: 0, clearReplyTo: false },
          event: {
            seq: 2,
            action: 'keep',
            state: 'kept',
            actorId: 'wangwu',
            summary: '留存',
            detail: {},
            tell: 'waiting',
          },
          at: at(9),
        },
      ]);
      expect((await s.list({ source: 'citizen' })).map((r) => r.seq)).toEqual([2]);
      expect((await s.list({ state: 'pending', year: 2030 })).map((r) => r.seq)).toEqual([1]);
      expect((await s.list({ year: 2031 })).map((r) => r.seq)).toEqual([3]);
      const waiting = await s.waitingFor('c:abc');
      expect(waiting.map((w) => [w.report.id, w.event.seq])).toEqual([[c, 2]]);
      await ctx.db.commit([
        { type: 'sentiment.told', reportId: c, seqs: [2], clearReplyTo: true, at: at(30) },
      ]);
      expect(await s.waitingFor('c:abc')).toEqual([]);
      expect(await s.get(c)).toMatchObject({ replyTo: null, lastSeenAt: at(30) });

      const m = await idOf('key-1');
      await ctx.db.commit([adopt(m, 2)]);
      await ctx.db.commit([
        {
          type: 'sentiment.act',
          reportId: m,
          expected: 'adopted',
          update: { state: 'adopted', level: '市', instructionsDelta: 1, clearReplyTo: false },
          event: {
            seq: 3,
            action: 'instruct',
            state: 'adopted',
            actorId: 'wangwu',
            summary: '批示',
            detail: { by: '县长', text: '阅' },
            tell: 'queued',
          },
          at: at(10),
        },
      ]);
      expect(await s.get(m)).toMatchObject({ instructions: 1, adoptionMode: '单篇' });
    });
  });
}
