import type { AnswerValue, SurveyQuestion } from '../../flows/index.js';

/** An answer as people read it: option labels, '' as 未回答, nothing when the question was not asked. */
export function displayAnswerOf(question: SurveyQuestion, value: AnswerValue | undefined): string {
  if (value === undefined) return '';
  if (value === '') return '（未回答）';
  const label = (v: string): string => question.options.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(label).join('、');
  if (typeof value === 'object') return value.name;
  return typeof value === 'string' ? label(value) : String(value);
}
