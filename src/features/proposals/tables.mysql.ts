/** MySQL / MariaDB tables of the proposals feature. Mirror tables.sqlite.ts; tablesGuard.ts fails to compile when they drift. */
import {
  boolean,
  datetime,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { ms } from '../../store/mysql/tables.js';
import { COSIGNER_STATUS, PROPOSAL_STATUS } from './columnValues.js';

export const proposals = mysqlTable(
  'proposals',
  {
    id: int('id').autoincrement().primaryKey(),
    submitKey: varchar('submit_key', { length: 191 }).notNull(),
    year: int('year').notNull(),
    seq: int('seq').notNull(),
    number: varchar('number', { length: 64 }).notNull(),
    ownerId: varchar('owner_id', { length: 64 }).notNull(),
    title: varchar('title', { length: 255 }).notNull(),
    category: varchar('category', { length: 64 }),
    subcategory: varchar('subcategory', { length: 64 }),
    reason: text('reason').notNull(),
    suggestions: text('suggestions').notNull(),
    handlingUnits: json('handling_units').$type<string[]>().notNull(),
    isPublic: boolean('is_public').notNull(),
    /** 不公开理由, when the member asked not to publish. */
    privateReason: text('private_reason'),
    status: mysqlEnum('status', PROPOSAL_STATUS).notNull(),
    submittedAt: datetime('submitted_at', ms).notNull(),
    updatedAt: datetime('updated_at', ms)
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [
    uniqueIndex('proposals_submit_key_uq').on(t.submitKey),
    uniqueIndex('proposals_year_seq_uq').on(t.year, t.seq),
    index('proposals_owner_idx').on(t.ownerId),
  ],
);

export const proposalEvents = mysqlTable(
  'proposal_events',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    status: mysqlEnum('status', PROPOSAL_STATUS).notNull(),
    note: text('note'),
    at: datetime('at', ms).notNull(),
  },
  (t) => [index('proposal_events_proposal_id_idx').on(t.proposalId, t.id)],
);

export const cosigners = mysqlTable(
  'cosigners',
  {
    proposalId: int('proposal_id').notNull(),
    userId: varchar('user_id', { length: 64 }).notNull(),
    status: mysqlEnum('status', COSIGNER_STATUS).notNull(),
    respondedAt: datetime('responded_at', ms),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('cosigners_user_idx').on(t.userId)],
);
