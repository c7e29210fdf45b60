/** SQLite tables of the proposals feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { COSIGNER_STATUS, PROPOSAL_STATUS } from './columnValues.js';

export const proposals = sqliteTable(
  'proposals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submitKey: text('submit_key', { length: 191 }).notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    number: text('number', { length: 64 }).notNull(),
    ownerId: text('owner_id', { length: 64 }).notNull(),
    title: text('title', { length: 255 }).notNull(),
    category: text('category', { length: 64 }),
    subcategory: text('subcategory', { length: 64 }),
    reason: text('reason').notNull(),
    suggestions: text('suggestions').notNull(),
    handlingUnits: text('handling_units', { mode: 'json' }).$type<string[]>().notNull(),
    isPublic: integer('is_public', { mode: 'boolean' }).notNull(),
    /** 不公开理由, when the member asked not to publish. */
    privateReason: text('private_reason'),
    status: text('status', { enum: PROPOSAL_STATUS }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [
    uniqueIndex('proposals_submit_key_uq').on(t.submitKey),
    uniqueIndex('proposals_year_seq_uq').on(t.year, t.seq),
    index('proposals_owner_idx').on(t.ownerId),
  ],
);

export const proposalEvents = sqliteTable(
  'proposal_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    status: text('status', { enum: PROPOSAL_STATUS }).notNull(),
    note: text('note'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('proposal_events_proposal_id_idx').on(t.proposalId, t.id)],
);

export const cosigners = sqliteTable(
  'cosigners',
  {
    proposalId: integer('proposal_id').notNull(),
    userId: text('user_id', { length: 64 }).notNull(),
    status: text('status', { enum: COSIGNER_STATUS }).notNull(),
    respondedAt: integer('responded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('cosigners_user_idx').on(t.userId)],
);
