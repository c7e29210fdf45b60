import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectDef } from '../../core/feature.js';
import { askedQuestions, type AnswerValue, type SurveyDef } from '../../flows/index.js';
import type { SurveyCatalog } from './catalog.js';
import { surveyResults, summaryText } from './domain/index.js';
import { surveyStore } from './surveyStore.js';
import {
  allSurveysNow,
  audienceOfChannel,
  formatCn,
  surveyNow,
  type SurveySettings,
} from './surveyAccess.js';

const Answer: z.ZodType<AnswerValue> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.object({ userId: z.string(), name: z.string(), dept: z.string().optional() }),
]);

/** The answers to keep: the survey's questions that this path through it asked, nothing else. */
export function keptAnswers(
  survey: SurveyDef,
  answers: Readonly<Record<string, unknown>>,
): Record<string, AnswerValue> {
  const valid: Record<string, AnswerValue> = {};
  for (const [k, v] of Object.entries(answers)) {
    const parsed = Answer.safeParse(v);
    if (parsed.success) valid[k] = parsed.data;
  }
  const out: Record<string, AnswerValue> = {};
  for (const q of askedQuestions(survey, valid)) {
    const v = valid[q.id];
    if (v !== undefined) out[q.id] = v;
  }
  return out;
}

export function surveyEffects(catalog: SurveyCatalog, settings: SurveySettings): EffectDef[] {
  /** Before the questions: open? answered before by this person (on this channel)? */
  const begin = defineEffect({
    type: 'surveys.begin',
    payload: z.strictObject({ surveyId: z.string() }),
    result: z.object({
      status: z.enum(['open', 'closed', 'notOpen', 'answered']),
      closesOn: z.string(),
      answeredOn: z.string(),
    }),
    async run(payload, ctx) {
      const survey = catalog.get(payload.surveyId);
      if (!survey) return { data: { status: 'closed' as const, closesOn: '', answeredOn: '' }, changes: [] };
      const now = await surveyNow(ctx.db, survey, ctx.now, settings);
      const closesOn = formatCn(now.closes);
      if (now.status === 'closed')
        return { data: { status: 'closed' as const, closesOn, answeredOn: '' }, changes: [] };
      if (now.status !== 'open')
        return { data: { status: 'notOpen' as const, closesOn, answeredOn: '' }, changes: [] };
      const before = await surveyStore(ctx.db).response(survey.id, ctx.actor.channel, ctx.actor.id);
      return before
        ? {
            data: { status: 'answered' as const, closesOn, answeredOn: formatCn(before.updatedAt) },
            changes: [],
          }
        : { data: { status: 'open' as const, closesOn, answeredOn: '' }, changes: [] };
    },
  });

  /**
   * Saves the answers: one response per person per survey and channel, a second submission replacing the first
   * (revision until the closing time). Refused once the survey has closed.
   */
  const submit = defineEffect({
    type: 'surveys.submit',
    payload: z.strictObject({ surveyId: z.string(), answers: z.record(z.string(), z.unknown()) }),
    result: z.object({ status: z.enum(['saved', 'updated', 'closed']) }),
    async run(payload, ctx) {
      const survey = catalog.get(payload.surveyId);
      if (!survey) return { data: { status: 'closed' as const }, changes: [] };
      const now = await surveyNow(ctx.db, survey, ctx.now, settings);
      if (now.status !== 'open') return { data: { status: 'closed' as const }, changes: [] };
      const before = await surveyStore(ctx.db).response(survey.id, ctx.actor.channel, ctx.actor.id);
      return {
        data: { status: before ? ('updated' as const) : ('saved' as const) },
        changes: [
          {
            type: 'survey.respond',
            surveyId: survey.id,
            channel: ctx.actor.channel,
            respondent: ctx.actor.id,
            answers: keptAnswers(survey, payload.answers),
            at: ctx.now,
          },
        ],
      };
    },
  });

  /** 问卷结果 for staff in WeCom: a summary of every survey that has been opened (or has responses). */
  const summary = defineEffect({
    type: 'surveys.summary',
    payload: z.strictObject({}),
    result: z.object({ text: z.string(), count: z.number() }),
    async run(_payload, ctx) {
      const counts = await surveyStore(ctx.db).counts();
      const surveys = (await allSurveysNow(ctx.db, catalog, ctx.now, settings)).filter(
        (s) => s.status !== 'draft' || (counts.get(s.survey.id) ?? 0) > 0,
      );
      if (surveys.length === 0) return { data: { text: '目前还没有开始的问卷。', count: 0 }, changes: [] };
      const parts: string[] = [];
      for (const s of surveys) {
        const responses = await surveyStore(ctx.db).responses(s.survey.id);
        const results = surveyResults(
          s.survey,
          responses.map((r) => ({ audience: audienceOfChannel(r.channel), answers: r.answers })),
        );
        if ('error' in results) continue;
        parts.push(summaryText(results, { maxTexts: 3 }));
      }
      return { data: { text: parts.join('\n\n'), count: surveys.length }, changes: [] };
    },
  });

  return [begin, submit, summary];
}
