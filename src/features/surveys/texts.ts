import { formatShanghaiShort } from '../../shared/chinaTime.js';
import type { SurveyNow } from './surveyAccess.js';

/** What the surveys feature says outside the survey flows. */
export const surveyTexts = {
  welcome: '您好！这里是县政协民意征集。',
  linkEnded: '您好！您扫描的问卷已结束或不存在。',
  openList(head: string, open: readonly SurveyNow[]): string {
    if (open.length === 0) return `${head}目前没有正在征集意见的问卷，感谢您的关注！`;
    return [
      `${head}正在征集意见的问卷：`,
      ...open.map((s, i) => `${i + 1}. ${s.survey.title}（截止 ${formatShanghaiShort(s.closes)}）`),
      open.length === 1 ? '回复「1」开始填写。' : '请回复序号开始填写。',
    ].join('\n');
  },
} as const;
