/**
 * The surveys feature's types: the state staff give a survey (opened, closing time, closed, its 客服 link), the
 * responses, the changes written with a turn, and the store port. A response keeps the least (PIPL): who answered
 * (the channel's id, erased after the retention period), the answers, and when.
 */
import type { AnswerValue } from '../../flows/index.js';

/** Where a response came from: citizens through 微信客服, members through the WeCom app. */
export type SurveyAudience = 'citizens' | 'members';

export interface SurveyState {
  surveyId: string;
  /** When staff opened it (null: never; in local mode a survey is open without a row). */
  openedAt: Date | null;
  /** The closing time staff gave when opening it (null: the survey file's). */
  closesAt: Date | null;
  /** Closed early by staff. */
  closedAt: Date | null;
  /** The 客服 link (`kf/add_contact_way`) and its config id, once made. */
  linkUrl: string | null;
  /** Responses up to this time were in the last daily digest. */
  digestedAt: Date | null;
}

export interface SurveyResponse {
  id: number;
  surveyId: string;
  channel: string;
  /** The channel's id of the person (external_userid, userid); null once the retention period erased it. */
  respondent: string | null;
  answers: Record<string, AnswerValue>;
  submittedAt: Date;
  updatedAt: Date;
  /** How many times the answers were revised. */
  revisions: number;
}

export type SurveyChange =
  | {
      type: 'survey.respond';
      surveyId: string;
      channel: string;
      respondent: string;
      answers: Record<string, AnswerValue>;
      at: Date;
    }
  | { type: 'survey.open'; surveyId: string; openedAt: Date; closesAt: Date | null }
  | { type: 'survey.close'; surveyId: string; at: Date }
  | { type: 'survey.link'; surveyId: string; url: string }
  | { type: 'survey.digested'; surveyId: string; at: Date }
  /** Retention: erases who answered a survey (the answers and counts stay). */
  | { type: 'survey.forget'; surveyId: string };

export interface SurveyStore {
  state(surveyId: string): Promise<SurveyState | null>;
  states(): Promise<SurveyState[]>;
  response(surveyId: string, channel: string, respondent: string): Promise<SurveyResponse | null>;
  /** Every response of a survey, oldest first. */
  responses(surveyId: string): Promise<SurveyResponse[]>;
  /** Responses per survey (all channels). */
  counts(): Promise<Map<string, number>>;
}
