/** SQLite tables of the surveys feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AnswerValue } from '../../flows/index.js';
import { CHANNEL_LENGTH, RESPONDENT_LENGTH, SURVEY_ID_LENGTH } from './columnValues.js';

/** What staff did with a survey (the questions themselves live in flows/surveys/*.yaml). */
export const surveyStates = sqliteTable('survey_states', {
  surveyId: text('survey_id', { length: SURVEY_ID_LENGTH }).primaryKey(),
  openedAt: integer('opened_at', { mode: 'timestamp_ms' }),
  closesAt: integer('closes_at', { mode: 'timestamp_ms' }),
  closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  linkUrl: text('link_url', { length: 255 }),
  digestedAt: integer('digested_at', { mode: 'timestamp_ms' }),
});

/** One row per person per survey and channel; revising replaces the answers. */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    surveyId: text('survey_id', { length: SURVEY_ID_LENGTH }).notNull(),
    channel: text('channel', { length: CHANNEL_LENGTH }).notNull(),
    respondent: text('respondent', { length: RESPONDENT_LENGTH }),
    answers: text('answers', { mode: 'json' }).$type<Record<string, AnswerValue>>().notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    revisions: integer('revisions').notNull(),
  },
  (t) => [
    uniqueIndex('survey_responses_person_uq').on(t.surveyId, t.channel, t.respondent),
    index('survey_responses_updated_idx').on(t.updatedAt),
  ],
);
