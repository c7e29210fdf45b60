import { defineChanges } from '../../store/changeAppliers.js';
import { applyMysqlSurveyChange } from './mysqlSurveyStore.js';
import type { SurveyChange } from './ports.js';
import { applySqliteSurveyChange } from './sqliteSurveyStore.js';

declare module '../../core/ports.js' {
  interface FeatureChanges {
    surveys: SurveyChange;
  }
}

/** How each survey change is written, per dialect, inside the commit's transaction. */
export const surveyChanges = defineChanges<SurveyChange>({
  sqlite: {
    'survey.respond': applySqliteSurveyChange,
    'survey.open': applySqliteSurveyChange,
    'survey.close': applySqliteSurveyChange,
    'survey.link': applySqliteSurveyChange,
    'survey.digested': applySqliteSurveyChange,
    'survey.forget': applySqliteSurveyChange,
  },
  mysql: {
    'survey.respond': applyMysqlSurveyChange,
    'survey.open': applyMysqlSurveyChange,
    'survey.close': applyMysqlSurveyChange,
    'survey.link': applyMysqlSurveyChange,
    'survey.digested': applyMysqlSurveyChange,
    'survey.forget': applyMysqlSurveyChange,
  },
});
