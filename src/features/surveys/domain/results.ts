import {
  askedQuestions,
  type AnswerValue,
  type SurveyDef,
  type SurveyQuestion,
} from '../../../flows/index.js';
import type { SurveyAudience } from '../ports.js';
import { maskPersonalNumbers } from './mask.js';

/** What results are computed from: one response's answers and where it came from. */
export interface ResponseInput {
  audience: SurveyAudience;
  answers: Readonly<Record<string, AnswerValue>>;
}

export interface OptionCount {
  value: string;
  label: string;
  count: number;
  /** Of those who answered the question, one decimal (a multiple-choice question's add up to more than 100). */
  percent: number;
}

export interface QuestionResult {
  id: string;
  title: string;
  label: string;
  type: SurveyQuestion['type'];
  /** Respondents who answered (a skip with 跳过 counts as skipped, a question not asked as neither). */
  answered: number;
  skipped: number;
  options?: OptionCount[];
  /** rating / number: mean (two decimals) and, for ratings, how many gave each score. */
  mean?: number | null;
  distribution?: { score: number; count: number; percent: number }[];
  /** shortText / longText: the answers, personal numbers masked. */
  texts?: string[];
}

export interface CrossTab {
  by: { id: string; label: string };
  /** One group per option of the demographic question, then 未回答. */
  groups: { value: string; label: string; respondents: number; questions: QuestionResult[] }[];
}

export interface SurveyResults {
  surveyId: string;
  title: string;
  respondents: number;
  byAudience: Record<SurveyAudience, number>;
  questions: QuestionResult[];
  crossTab?: CrossTab;
}

const pct = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n / of) * 1000) / 10);

/** Counts and percentages per option, mean and distribution of ratings, the texts; pure. */
export function tallyQuestions(survey: SurveyDef, responses: readonly ResponseInput[]): QuestionResult[] {
  const asked = responses.map((r) => ({
    r,
    ids: new Set(askedQuestions(survey, r.answers).map((q) => q.id)),
  }));
  return survey.questions.map((q) => {
    const values: AnswerValue[] = [];
    let skipped = 0;
    for (const { r, ids } of asked) {
      if (!ids.has(q.id) || !Object.hasOwn(r.answers, q.id)) continue;
      const v = r.answers[q.id];
      if (v === undefined) continue;
      if (v === '' || (Array.isArray(v) && v.length === 0)) skipped += 1;
      else values.push(v);
    }
    const base: QuestionResult = {
      id: q.id,
      title: q.title,
      label: q.label,
      type: q.type,
      answered: values.length,
      skipped,
    };
    switch (q.type) {
      case 'single':
      case 'multiple': {
        const chosen = values.map((v) => (Array.isArray(v) ? v : [String(v)]));
        return {
          ...base,
          options: q.options.map((o) => {
            const count = chosen.filter((c) => c.includes(o.value)).length;
            return { value: o.value, label: o.label, count, percent: pct(count, values.length) };
          }),
        };
      }
      case 'rating':
      case 'number': {
        const numbers = values.filter((v): v is number => typeof v === 'number');
        const mean =
          numbers.length === 0
            ? null
            : Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 100) / 100;
        if (q.type === 'number') return { ...base, mean };
        const distribution = [1, 2, 3, 4, 5].map((score) => {
          const count = numbers.filter((n) => n === score).length;
          return { score, count, percent: pct(count, numbers.length) };
        });
        return { ...base, mean, distribution };
      }
      case 'shortText':
      case 'longText':
        return { ...base, texts: values.map((v) => maskPersonalNumbers(String(v))) };
    }
  });
}

/**
 * Results of a survey: every question, and with `by` (a single-choice question, usually a demographic one) the
 * same counts per group of respondents.
 */
export function surveyResults(
  survey: SurveyDef,
  responses: readonly ResponseInput[],
  by?: string,
): SurveyResults | { error: string } {
  const results: SurveyResults = {
    surveyId: survey.id,
    title: survey.title,
    respondents: responses.length,
    byAudience: {
      citizens: responses.filter((r) => r.audience === 'citizens').length,
      members: responses.filter((r) => r.audience === 'members').length,
    },
    questions: tallyQuestions(survey, responses),
  };
  if (by === undefined) return results;
  const q = survey.questions.find((x) => x.id === by);
  if (q?.type !== 'single') return { error: `「${by}」不是这份问卷的单选题，无法按它分组` };
  const groupOf = (r: ResponseInput): string => {
    const v = r.answers[q.id];
    return typeof v === 'string' && q.options.some((o) => o.value === v) ? v : '';
  };
  const groups = [...q.options, { value: '', label: '未回答' }].map((o) => {
    const members = responses.filter((r) => groupOf(r) === o.value);
    return {
      value: o.value,
      label: o.label,
      respondents: members.length,
      questions: tallyQuestions(survey, members).filter((x) => x.id !== q.id && x.texts === undefined),
    };
  });
  return { ...results, crossTab: { by: { id: q.id, label: q.label }, groups } };
}

/** A short text summary for staff in WeCom (问卷结果) and for the daily digest. */
export function summaryText(results: SurveyResults, options: { maxTexts?: number } = {}): string {
  const lines = [
    `《${results.title}》共 ${results.respondents} 份（群众 ${results.byAudience.citizens}，委员 ${results.byAudience.members}）`,
  ];
  results.questions.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.label}（${q.answered} 人回答）`);
    if (q.options) {
      const top = [...q.options].sort((a, b) => b.count - a.count);
      for (const o of top) lines.push(`   ${o.label}：${o.count}（${o.percent}%）`);
    }
    if (q.mean !== undefined) lines.push(`   平均 ${q.mean ?? '—'}`);
    if (q.texts) {
      const max = options.maxTexts ?? 3;
      for (const t of q.texts.slice(-max)) lines.push(`   「${t.length > 60 ? `${t.slice(0, 60)}…` : t}」`);
      if (q.texts.length > max) lines.push(`   …共 ${q.texts.length} 条`);
    }
  });
  return lines.join('\n');
}
