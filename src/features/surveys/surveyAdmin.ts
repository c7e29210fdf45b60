import type { Database } from '../../core/ports.js';
import { parseShanghaiTime } from '../../shared/chinaTime.js';
import type { SurveyCatalog } from './catalog.js';
import { STATUS_LABEL, surveyResults, type SurveyResults, type SurveyStatus } from './domain/index.js';
import type { SurveyAudience, SurveyResponse } from './ports.js';
import { surveyStore } from './surveyStore.js';
import { allSurveysNow, audienceOfChannel, surveyNow, type SurveySettings } from './surveyAccess.js';

export interface SurveyListItem {
  id: string;
  title: string;
  state: SurveyStatus;
  stateLabel: string;
  responses: number;
  openedAt: string | null;
  closesAt: string;
  scene: string;
  link: string | null;
}

export type OpenResult =
  { ok: true; id: string; closesAt: Date } | 'notFound' | { ok: false; field: string; message: string };

/** What staff do with surveys (admin API and CLI alike): list, read results, open, close. */
export interface SurveyAdmin {
  list(): Promise<SurveyListItem[]>;
  results(
    id: string,
    options?: { by?: string; audience?: SurveyAudience },
  ): Promise<SurveyResults | 'notFound' | { error: string }>;
  /** Rows for an export: per-survey pseudonyms (R0001…), never the stored ids. */
  responses(id: string): Promise<{ pseudonym: string; response: SurveyResponse }[] | 'notFound'>;
  open(id: string, closes?: string): Promise<OpenResult>;
  close(id: string): Promise<{ ok: true; id: string } | 'notFound'>;
}

export function createSurveyAdmin(deps: {
  db: Database;
  catalog: SurveyCatalog;
  settings: SurveySettings;
  now: () => Date;
}): SurveyAdmin {
  const { db, catalog, settings } = deps;
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
  return {
    async list() {
      const counts = await surveyStore(db).counts();
      return (await allSurveysNow(db, catalog, deps.now(), settings)).map((s) => ({
        id: s.survey.id,
        title: s.survey.title,
        state: s.status,
        stateLabel: STATUS_LABEL[s.status],
        responses: counts.get(s.survey.id) ?? 0,
        openedAt: iso(s.state?.openedAt ?? null),
        closesAt: s.closes.toISOString(),
        scene: s.survey.scene,
        link: s.state?.linkUrl ?? null,
      }));
    },
    async results(id, options = {}) {
      const survey = catalog.get(id);
      if (!survey) return 'notFound';
      const rows = (await surveyStore(db).responses(id))
        .map((r) => ({ audience: audienceOfChannel(r.channel), answers: r.answers }))
        .filter((r) => options.audience === undefined || r.audience === options.audience);
      return surveyResults(survey, rows, options.by);
    },
    async responses(id) {
      if (!catalog.get(id)) return 'notFound';
      const rows = await surveyStore(db).responses(id);
      return rows.map((response, i) => ({ pseudonym: `R${String(i + 1).padStart(4, '0')}`, response }));
    },
    async open(id, closes) {
      const survey = catalog.get(id);
      if (!survey) return 'notFound';
      const now = deps.now();
      const closesAt = closes === undefined ? survey.closes : parseShanghaiTime(closes, 'endOfDay');
      if (closesAt === null)
        return { ok: false, field: 'closesAt', message: '截止时间格式应为 YYYY-MM-DD HH:mm（北京时间）' };
      if (closesAt <= now)
        return {
          ok: false,
          field: 'closesAt',
          message:
            closes === undefined ? '问卷文件中的截止时间已过，请给出新的截止时间' : '截止时间应晚于现在',
        };
      await db.commit([{ type: 'survey.open', surveyId: id, openedAt: now, closesAt }]);
      return { ok: true, id, closesAt };
    },
    async close(id) {
      const survey = catalog.get(id);
      if (!survey) return 'notFound';
      const now = await surveyNow(db, survey, deps.now(), settings);
      if (now.status !== 'closed') await db.commit([{ type: 'survey.close', surveyId: id, at: deps.now() }]);
      return { ok: true, id };
    },
  };
}
