import type { Actor } from '../../core/actor.js';
import type { Database } from '../../core/ports.js';
import type { SurveyDef } from '../../flows/index.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import type { SurveyCatalog } from './catalog.js';
import { closesAt, surveyStatus, type SurveyStatus } from './domain/index.js';
import type { SurveyAudience, SurveyState } from './ports.js';
import { surveyStore } from './surveyStore.js';

/** The 微信客服 channel's id: its actors are citizens (external_userid). */
export const CITIZEN_CHANNEL = 'wecom-kf';

export interface SurveySettings {
  /** Local mode: a survey staff never opened is open at once (until its closing time). */
  openUnlessClosed: boolean;
}

export function audienceOf(actor: Pick<Actor, 'channel'>): SurveyAudience {
  return actor.channel === CITIZEN_CHANNEL ? 'citizens' : 'members';
}

export function audienceOfChannel(channel: string): SurveyAudience {
  return audienceOf({ channel });
}

/** A survey with what staff did with it and its status now. */
export interface SurveyNow {
  survey: SurveyDef;
  state: SurveyState | null;
  status: SurveyStatus;
  closes: Date;
}

export async function surveyNow(
  db: Database,
  survey: SurveyDef,
  now: Date,
  settings: SurveySettings,
): Promise<SurveyNow> {
  const state = await surveyStore(db).state(survey.id);
  return {
    survey,
    state,
    status: surveyStatus(survey, state, now, settings.openUnlessClosed),
    closes: closesAt(survey, state),
  };
}

export async function allSurveysNow(
  db: Database,
  catalog: SurveyCatalog,
  now: Date,
  settings: SurveySettings,
): Promise<SurveyNow[]> {
  const states = new Map((await surveyStore(db).states()).map((s) => [s.surveyId, s]));
  return catalog.all.map((survey) => {
    const state = states.get(survey.id) ?? null;
    return {
      survey,
      state,
      status: surveyStatus(survey, state, now, settings.openUnlessClosed),
      closes: closesAt(survey, state),
    };
  });
}

/** `2027年1月31日 23:59` */
export function formatCn(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.year}年${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
