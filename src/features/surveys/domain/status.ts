import type { SurveyDef } from '../../../flows/index.js';

/** draft: never opened; scheduled: opened, but its file's `opens` is still ahead; open; closed. */
export type SurveyStatus = 'draft' | 'scheduled' | 'open' | 'closed';

export interface SurveyTimes {
  openedAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
}

/**
 * Whether a survey takes answers now. With real WeCom settings a survey is answered only between the time staff
 * open it (never before the file's `opens`) and its closing time (the one staff gave, else the file's) or an early
 * close. In local mode (`openUnlessClosed`) a survey staff never touched is open at once, so a newcomer can try it.
 */
export function surveyStatus(
  survey: Pick<SurveyDef, 'opens' | 'closes'>,
  state: SurveyTimes | null,
  now: Date,
  openUnlessClosed: boolean,
): SurveyStatus {
  if (state?.closedAt != null && state.closedAt <= now) return 'closed';
  if (now >= closesAt(survey, state)) return 'closed';
  const opened = state?.openedAt ?? (openUnlessClosed ? new Date(0) : null);
  if (opened === null) return 'draft';
  if (opened > now || (state?.openedAt != null && survey.opens !== null && survey.opens > now))
    return 'scheduled';
  return 'open';
}

/** The closing time in force: an early close, else the one staff gave, else the file's. */
export function closesAt(survey: Pick<SurveyDef, 'closes'>, state: SurveyTimes | null): Date {
  const planned = state?.closesAt ?? survey.closes;
  return state?.closedAt != null && state.closedAt < planned ? state.closedAt : planned;
}

export const STATUS_LABEL: Readonly<Record<SurveyStatus, string>> = {
  draft: '未开始',
  scheduled: '待开始',
  open: '征集中',
  closed: '已截止',
};
