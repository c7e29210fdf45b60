/** MySQL / MariaDB tables of the sentiment feature. Mirror tables.sqlite.ts; tablesGuard.ts fails to compile when they drift. */
import {
  datetime,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { ms } from '../../store/mysql/tables.js';
import { ADOPTION_LEVELS, ADOPTION_MODES } from './domain/index.js';
import { SENTIMENT_ACTION, SENTIMENT_SOURCE, SENTIMENT_STATE, TELL_STATUS } from './columnValues.js';

export const sentimentReports = mysqlTable(
  'sentiment_reports',
  {
    id: int('id').autoincrement().primaryKey(),
    submitKey: varchar('submit_key', { length: 191 }).notNull(),
    year: int('year').notNull(),
    seq: int('seq').notNull(),
    number: varchar('number', { length: 64 }).notNull(),
    source: mysqlEnum('source', SENTIMENT_SOURCE).notNull(),
    reporterId: varchar('reporter_id', { length: 64 }).notNull(),
    jointIds: json('joint_ids').$type<string[]>().notNull(),
    replyTo: varchar('reply_to', { length: 128 }),
    replyChannel: varchar('reply_channel', { length: 32 }),
    lastSeenAt: datetime('last_seen_at', ms),
    title: varchar('title', { length: 255 }).notNull(),
    category: varchar('category', { length: 64 }),
    situation: text('situation').notNull(),
    analysis: text('analysis').notNull(),
    suggestions: text('suggestions').notNull(),
    town: varchar('town', { length: 64 }),
    contact: varchar('contact', { length: 64 }),
    proposalId: int('proposal_id'),
    state: mysqlEnum('state', SENTIMENT_STATE).notNull(),
    level: mysqlEnum('level', ADOPTION_LEVELS),
    adoptionMode: mysqlEnum('adoption_mode', ADOPTION_MODES),
    forwardUnit: varchar('forward_unit', { length: 128 }),
    forwardDue: varchar('forward_due', { length: 10 }),
    instructions: int('instructions').notNull(),
    submittedAt: datetime('submitted_at', ms).notNull(),
    updatedAt: datetime('updated_at', ms).notNull(),
  },
  (t) => [
    uniqueIndex('sentiment_reports_submit_key_uq').on(t.submitKey),
    uniqueIndex('sentiment_reports_year_seq_uq').on(t.year, t.seq),
    index('sentiment_reports_reporter_idx').on(t.reporterId),
    index('sentiment_reports_state_idx').on(t.state),
  ],
);

export const sentimentEvents = mysqlTable(
  'sentiment_events',
  {
    id: int('id').autoincrement().primaryKey(),
    reportId: int('report_id').notNull(),
    seq: int('seq').notNull(),
    action: mysqlEnum('action', SENTIMENT_ACTION).notNull(),
    state: mysqlEnum('state', SENTIMENT_STATE).notNull(),
    actorId: varchar('actor_id', { length: 64 }).notNull(),
    summary: text('summary').notNull(),
    detail: json('detail').$type<Record<string, string>>().notNull(),
    tell: mysqlEnum('tell', TELL_STATUS).notNull(),
    at: datetime('at', ms).notNull(),
  },
  (t) => [uniqueIndex('sentiment_events_report_seq_uq').on(t.reportId, t.seq)],
);
