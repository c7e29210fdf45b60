/** SQLite tables of the sentiment feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ADOPTION_LEVELS, ADOPTION_MODES } from './domain/index.js';
import { SENTIMENT_ACTION, SENTIMENT_SOURCE, SENTIMENT_STATE, TELL_STATUS } from './columnValues.js';

export const sentimentReports = sqliteTable(
  'sentiment_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submitKey: text('submit_key', { length: 191 }).notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number', { length: 64 }).notNull(),
    source: text('source', { enum: SENTIMENT_SOURCE }).notNull(),
    reporterId: text('reporter_id', { length: 64 }).notNull(),
    jointIds: text('joint_ids', { mode: 'json' }).$type<string[]>().notNull(),
    replyTo: text('reply_to', { length: 128 }),
    replyChannel: text('reply_channel', { length: 32 }),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    title: text('title', { length: 255 }).notNull(),
    category: text('category', { length: 64 }),
    situation: text('situation').notNull(),
    analysis: text('analysis').notNull(),
    suggestions: text('suggestions').notNull(),
    town: text('town', { length: 64 }),
    contact: text('contact', { length: 64 }),
    proposalId: integer('proposal_id'),
    state: text('state', { enum: SENTIMENT_STATE }).notNull(),
    level: text('level', { enum: ADOPTION_LEVELS }),
    adoptionMode: text('adoption_mode', { enum: ADOPTION_MODES }),
    forwardUnit: text('forward_unit', { length: 128 }),
    forwardDue: text('forward_due', { length: 10 }),
    instructions: integer('instructions').notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('sentiment_reports_submit_key_uq').on(t.submitKey),
    uniqueIndex('sentiment_reports_year_seq_uq').on(t.year, t.seq),
    index('sentiment_reports_reporter_idx').on(t.reporterId),
    index('sentiment_reports_state_idx').on(t.state),
  ],
);

export const sentimentEvents = sqliteTable(
  'sentiment_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull(),
    seq: integer('seq').notNull(),
    action: text('action', { enum: SENTIMENT_ACTION }).notNull(),
    state: text('state', { enum: SENTIMENT_STATE }).notNull(),
    actorId: text('actor_id', { length: 64 }).notNull(),
    summary: text('summary').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    tell: text('tell', { enum: TELL_STATUS }).notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('sentiment_events_report_seq_uq').on(t.reportId, t.seq)],
);
