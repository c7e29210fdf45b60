/**
 * Row types of the survey tables, inferred from drizzle, and the drift guard that fails `tsc` when tables.sqlite.ts
 * and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { Assert, SameTable } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type SurveyStateRow = typeof lite.surveyStates.$inferSelect;
export type SurveyResponseRow = typeof lite.surveyResponses.$inferSelect;

export type SurveyTablesGuard = [
  Assert<SameTable<typeof my.surveyStates, typeof lite.surveyStates>>,
  Assert<SameTable<typeof my.surveyResponses, typeof lite.surveyResponses>>,
];
