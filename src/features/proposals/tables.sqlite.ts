/** SQLite tables of the proposals feature. Mirror tables.mysql.ts; tablesGuard.ts fails to compile when they drift. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  ASSIGNMENT_STATE,
  COSIGNER_STATUS,
  MEETING_SOURCE,
  PROPOSAL_STATUS,
  REPLY_REVIEW,
  RESULT_CLASS,
  UNIT_ROLE,
} from './columnValues.js';

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
    /** Bumped by every lifecycle transition: a transition decided on an older version fails (optimistic lock). */
    version: integer('version').notNull().default(0),
    keyProposal: integer('key_proposal', { mode: 'boolean' }).notNull().default(false),
    /** 并案: the primary proposal this one was merged into. */
    mergedInto: integer('merged_into'),
    rehandlingRound: integer('rehandling_round').notNull().default(0),
    /** The live step's deadline (reply or evaluation), Shanghai date YYYY-MM-DD. */
    dueDate: text('due_date', { length: 10 }),
    lastReplyClass: text('last_reply_class', { enum: RESULT_CLASS }),
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
    /** A lifecycle action, or submitted / status / meeting_check / reminder. */
    kind: text('kind', { length: 32 }).notNull().default('status'),
    actorId: text('actor_id', { length: 64 }),
    actorRole: text('actor_role', { length: 16 }),
    unit: text('unit', { length: 100 }),
    /** 代录: staff recorded it for a unit without a contact. */
    onBehalf: integer('on_behalf', { mode: 'boolean' }).notNull().default(false),
    fromStatus: text('from_status', { enum: PROPOSAL_STATUS }),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
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

export const proposalAssignments = sqliteTable(
  'proposal_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    unit: text('unit', { length: 100 }).notNull(),
    role: text('role', { enum: UNIT_ROLE }).notNull(),
    state: text('state', { enum: ASSIGNMENT_STATE }).notNull(),
    assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }).notNull(),
    meetingDue: text('meeting_due', { length: 10 }),
    returnBy: text('return_by', { length: 10 }),
    replyDue: text('reply_due', { length: 10 }),
    signedAt: integer('signed_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('proposal_assignments_proposal_idx').on(t.proposalId),
    index('proposal_assignments_unit_idx').on(t.unit, t.state),
  ],
);

export const proposalMeetings = sqliteTable(
  'proposal_meetings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    unit: text('unit', { length: 100 }).notNull(),
    date: text('date', { length: 10 }).notNull(),
    way: text('way', { length: 16 }).notNull(),
    participants: text('participants').notNull(),
    note: text('note'),
    source: text('source', { enum: MEETING_SOURCE }).notNull(),
    held: integer('held', { mode: 'boolean' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('proposal_meetings_proposal_idx').on(t.proposalId)],
);

export const proposalReplies = sqliteTable(
  'proposal_replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    round: integer('round').notNull(),
    unit: text('unit', { length: 100 }).notNull(),
    resultClass: text('result_class', { enum: RESULT_CLASS }).notNull(),
    text: text('text').notNull(),
    review: text('review', { enum: REPLY_REVIEW }).notNull(),
    reviewNote: text('review_note'),
    /** The reply's due date when it was submitted (按期办复率). */
    dueDate: text('due_date', { length: 10 }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('proposal_replies_proposal_idx').on(t.proposalId)],
);

export const proposalEvaluations = sqliteTable(
  'proposal_evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    round: integer('round').notNull(),
    /** 满意 / 基本满意 / 不满意 / 视为满意. */
    rating: text('rating', { length: 8 }).notNull(),
    comment: text('comment'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('proposal_evaluations_proposal_idx').on(t.proposalId)],
);

/** Scheduled deadline work (reminders, the 面商 question, the no-evaluation rule), claimed with a lease. */
export const proposalDeadlines = sqliteTable(
  'proposal_deadlines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    proposalId: integer('proposal_id').notNull(),
    kind: text('kind', { length: 32 }).notNull(),
    /** The unit it concerns; '' when none. */
    unit: text('unit', { length: 100 }).notNull(),
    round: integer('round').notNull(),
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('proposal_deadlines_uq').on(t.proposalId, t.kind, t.unit, t.round),
    index('proposal_deadlines_due_idx').on(t.doneAt, t.dueAt),
  ],
);
