import { formatShanghaiShort } from '../../shared/chinaTime.js';
import type { SurveyNow } from './surveyAccess.js';

/** What the surveys feature says outside the survey flows. */
export const surveyTexts = {
  alreadyInSurvey: '您正在填写这份问卷，请接着回答上面的问题。',
  openList(head: string, open: readonly SurveyNow[]): string {
    if (open.length === 0) return `${head}目前没有正在征集意见的问卷，感谢您的关注！`;
    return [
      `${head}正在征集意见的问卷：`,
      ...open.map((s, i) => `${i + 1}. ${s.survey.title}（截止 ${formatShanghaiShort(s.closes)}）`),
      open.length === 1 ? '回复「1」开始填写。' : '请回复序号开始填写。',
    ].join('\n');
  },
} as const;
