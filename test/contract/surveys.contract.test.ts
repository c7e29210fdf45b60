import { describe, expect, it } from 'vitest';
import { surveyStore } from '../../src/features/surveys/index.js';
import { databaseBackends, useDatabase } from './backends.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const respond = (respondent: string, answers: Record<string, unknown>, when: Date, channel = 'wecom-kf') => ({
  type: 'survey.respond' as const,
  surveyId: 'minsheng_2027',
  channel,
  respondent,
  answers: answers as never,
  at: when,
});

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`SurveyStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('keeps one response per person, survey and channel; a second one replaces the answers', async () => {
      const answers = { projects: ['school', 'roads'], rating: 4, suggestion: '路灯😀', town: '' };
      await ctx.db.commit([respond('wmCitizen1', answers, at(1))]);
      await ctx.db.commit([respond('wmCitizen1', { ...answers, rating: 2 }, at(5))]);
      await ctx.db.commit([respond('wmCitizen1', answers, at(7), 'wecom-app')]);
      const store = surveyStore(ctx.db);
      const first = await store.response('minsheng_2027', 'wecom-kf', 'wmCitizen1');
      expect(first).toEqual({
        id: expect.any(Number),
        surveyId: 'minsheng_2027',
        channel: 'wecom-kf',
        respondent: 'wmCitizen1',
        answers: { ...answers, rating: 2 },
        submittedAt: at(1),
        updatedAt: at(5),
        revisions: 1,
      });
      expect(await store.response('minsheng_2027', 'wecom-kf', 'someoneElse')).toBeNull();
      expect((await store.responses('minsheng_2027')).map((r) => r.channel)).toEqual([
        'wecom-kf',
        'wecom-app',
      ]);
      expect(await store.responses('other')).toEqual([]);
      expect(await store.counts()).toEqual(new Map([['minsheng_2027', 2]]));
    });

    it('records opening, closing, the link and the digest time, each keeping the others', async () => {
      const store = surveyStore(ctx.db);
      expect(await store.state('minsheng_2027')).toBeNull();
      await ctx.db.commit([
        { type: 'survey.link', surveyId: 'minsheng_2027', url: 'https://work.weixin.qq.com/kf/x' },
      ]);
      await ctx.db.commit([
        { type: 'survey.open', surveyId: 'minsheng_2027', openedAt: at(10), closesAt: at(1000) },
      ]);
      await ctx.db.commit([{ type: 'survey.digested', surveyId: 'minsheng_2027', at: at(20) }]);
      await ctx.db.commit([{ type: 'survey.close', surveyId: 'minsheng_2027', at: at(30) }]);
      expect(await store.state('minsheng_2027')).toEqual({
        surveyId: 'minsheng_2027',
        openedAt: at(10),
        closesAt: at(1000),
        closedAt: at(30),
        linkUrl: 'https://work.weixin.qq.com/kf/x',
        digestedAt: at(20),
      });
      // Opening again clears the early close.
      await ctx.db.commit([
        { type: 'survey.open', surveyId: 'minsheng_2027', openedAt: at(40), closesAt: null },
      ]);
      expect(await store.state('minsheng_2027')).toMatchObject({
        openedAt: at(40),
        closesAt: null,
        closedAt: null,
      });
      await ctx.db.commit([{ type: 'survey.close', surveyId: 'other', at: at(50) }]);
      expect((await store.states()).map((s) => s.surveyId)).toEqual(['minsheng_2027', 'other']);
    });

    it('retention erases who answered one survey, keeping the answers and counts', async () => {
      await ctx.db.commit([
        respond('wmA', { rating: 5 }, at(1)),
        respond('wmB', { rating: 3 }, at(2)),
        { ...respond('wmA', { rating: 1 }, at(3)), surveyId: 'other' },
      ]);
      await ctx.db.commit([{ type: 'survey.forget', surveyId: 'minsheng_2027' }]);
      const store = surveyStore(ctx.db);
      const rows = await store.responses('minsheng_2027');
      expect(rows.map((r) => [r.respondent, r.answers])).toEqual([
        [null, { rating: 5 }],
        [null, { rating: 3 }],
      ]);
      expect((await store.responses('other'))[0]?.respondent).toBe('wmA');
      expect(await store.response('minsheng_2027', 'wecom-kf', 'wmA')).toBeNull();
      expect((await store.counts()).get('minsheng_2027')).toBe(2);
    });
  });
}
