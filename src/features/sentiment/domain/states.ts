/**
 * 社情民意 states, review actions and their Chinese labels. A county office's simplified version of the usual
 * register (已保存 → 待审核 → 采用 / 留存 / 退回修改; an adopted report may be 报送 up, get a 领导批示, and be 转办 to a
 * unit that reports its 办理 result). A draft is not a report: it lives with the conversation until submitted.
 */

export const SENTIMENT_STATES = [
  'pending',
  'returned',
  'kept',
  'adopted',
  'reported',
  'forwarded',
  'handled',
] as const;
export type SentimentState = (typeof SENTIMENT_STATES)[number];

export const SENTIMENT_STATE_LABELS: Readonly<Record<SentimentState, string>> = {
  pending: '待审核',
  returned: '退回修改',
  kept: '留存（未采用）',
  adopted: '已采用',
  reported: '已报送',
  forwarded: '转办中',
  handled: '已办理',
};

/** Who sent it in: a member (委员) or a citizen's clue (民意线索, 微信客服). */
export const SENTIMENT_SOURCES = ['member', 'citizen'] as const;
export type SentimentSource = (typeof SENTIMENT_SOURCES)[number];
export const SENTIMENT_SOURCE_LABELS: Readonly<Record<SentimentSource, string>> = {
  member: '委员反映',
  citizen: '民意线索',
};

export const SENTIMENT_ACTIONS = [
  'submit',
  'adopt',
  'keep',
  'return',
  'instruct',
  'report_up',
  'forward',
  'forward_result',
] as const;
export type SentimentAction = (typeof SENTIMENT_ACTIONS)[number];
/** The actions staff take on a submitted report (submit is the reporter's). */
export type ReviewAction = Exclude<SentimentAction, 'submit'>;
export const REVIEW_ACTIONS: readonly ReviewAction[] = SENTIMENT_ACTIONS.filter(
  (a): a is ReviewAction => a !== 'submit',
);

export const SENTIMENT_ACTION_LABELS: Readonly<Record<SentimentAction, string>> = {
  submit: '提交',
  adopt: '采用',
  keep: '留存',
  return: '退回修改',
  instruct: '领导批示',
  report_up: '报送',
  forward: '转办',
  forward_result: '办理结果',
};

export const ADOPTION_LEVELS = ['县', '市', '省', '全国'] as const;
export type AdoptionLevel = (typeof ADOPTION_LEVELS)[number];
export const ADOPTION_MODES = ['单篇', '综合'] as const;
export type AdoptionMode = (typeof ADOPTION_MODES)[number];

/** 县 < 市 < 省 < 全国. */
export function levelRank(level: AdoptionLevel): number {
  return ADOPTION_LEVELS.indexOf(level);
}

/** Where a report is sent when it is 报送 from a level: 县 → 市政协, …. */
export const LEVEL_BODY: Readonly<Record<AdoptionLevel, string>> = {
  县: '县政协',
  市: '市政协',
  省: '省政协',
  全国: '全国政协',
};

/** 社情民意 categories a county register keeps (editable in the flow file; stats group by whatever is stored). */
export const SENTIMENT_CATEGORIES = [
  '经济发展',
  '社会民生',
  '城乡建设',
  '生态环境',
  '教育文化',
  '医疗卫生',
  '社会治理',
  '其他',
] as const;
