/** MySQL tables of the surveys feature. Mirror tables.sqlite.ts; tablesGuard.ts fails to compile when they drift. */
import { datetime, index, int, json, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import type { AnswerValue } from '../../flows/index.js';
import { CHANNEL_LENGTH, RESPONDENT_LENGTH, SURVEY_ID_LENGTH } from './columnValues.js';

export const surveyStates = mysqlTable('survey_states', {
  surveyId: varchar('survey_id', { length: SURVEY_ID_LENGTH }).primaryKey(),
  openedAt: datetime('opened_at', { mode: 'date', fsp: 3 }),
  closesAt: datetime('closes_at', { mode: 'date', fsp: 3 }),
  closedAt: datetime('closed_at', { mode: 'date', fsp: 3 }),
  linkUrl: varchar('link_url', { length: 255 }),
  digestedAt: datetime('digested_at', { mode: 'date', fsp: 3 }),
});

export const surveyResponses = mysqlTable(
  'survey_responses',
  {
    id: int('id').primaryKey().autoincrement(),
    surveyId: varchar('survey_id', { length: SURVEY_ID_LENGTH }).notNull(),
    channel: varchar('channel', { length: CHANNEL_LENGTH }).notNull(),
    respondent: varchar('respondent', { length: RESPONDENT_LENGTH }),
    answers: json('answers').$type<Record<string, AnswerValue>>().notNull(),
    submittedAt: datetime('submitted_at', { mode: 'date', fsp: 3 }).notNull(),
    updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull(),
    revisions: int('revisions').notNull(),
  },
  (t) => [
    uniqueIndex('survey_responses_person_uq').on(t.surveyId, t.channel, t.respondent),
    index('survey_responses_updated_idx').on(t.updatedAt),
  ],
);
