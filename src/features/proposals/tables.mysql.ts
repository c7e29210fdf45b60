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
import {
  ASSIGNMENT_STATE,
  COSIGNER_STATUS,
  MEETING_SOURCE,
  PROPOSAL_STATUS,
  REPLY_REVIEW,
  RESULT_CLASS,
  UNIT_ROLE,
} from './columnValues.js';

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
    /** Bumped by every lifecycle transition: a transition decided on an older version fails (optimistic lock). */
    version: int('version').notNull().default(0),
    keyProposal: boolean('key_proposal').notNull().default(false),
    /** 并案: the primary proposal this one was merged into. */
    mergedInto: int('merged_into'),
    rehandlingRound: int('rehandling_round').notNull().default(0),
    /** The live step's deadline (reply or evaluation), Shanghai date YYYY-MM-DD. */
    dueDate: varchar('due_date', { length: 10 }),
    lastReplyClass: mysqlEnum('last_reply_class', RESULT_CLASS),
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
    /** A lifecycle action, or submitted / status / meeting_check / reminder. */
    kind: varchar('kind', { length: 32 }).notNull().default('status'),
    actorId: varchar('actor_id', { length: 64 }),
    actorRole: varchar('actor_role', { length: 16 }),
    unit: varchar('unit', { length: 100 }),
    /** 代录: staff recorded it for a unit without a contact. */
    onBehalf: boolean('on_behalf').notNull().default(false),
    fromStatus: mysqlEnum('from_status', PROPOSAL_STATUS),
    details: json('details').$type<Record<string, unknown>>(),
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

export const proposalAssignments = mysqlTable(
  'proposal_assignments',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    unit: varchar('unit', { length: 100 }).notNull(),
    role: mysqlEnum('role', UNIT_ROLE).notNull(),
    state: mysqlEnum('state', ASSIGNMENT_STATE).notNull(),
    assignedAt: datetime('assigned_at', ms).notNull(),
    meetingDue: varchar('meeting_due', { length: 10 }),
    returnBy: varchar('return_by', { length: 10 }),
    replyDue: varchar('reply_due', { length: 10 }),
    signedAt: datetime('signed_at', ms),
    updatedAt: datetime('updated_at', ms).notNull(),
  },
  (t) => [
    index('proposal_assignments_proposal_idx').on(t.proposalId),
    index('proposal_assignments_unit_idx').on(t.unit, t.state),
  ],
);

export const proposalMeetings = mysqlTable(
  'proposal_meetings',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    unit: varchar('unit', { length: 100 }).notNull(),
    date: varchar('date', { length: 10 }).notNull(),
    way: varchar('way', { length: 16 }).notNull(),
    participants: text('participants').notNull(),
    note: text('note'),
    source: mysqlEnum('source', MEETING_SOURCE).notNull(),
    held: boolean('held'),
    at: datetime('at', ms).notNull(),
  },
  (t) => [index('proposal_meetings_proposal_idx').on(t.proposalId)],
);

export const proposalReplies = mysqlTable(
  'proposal_replies',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    round: int('round').notNull(),
    unit: varchar('unit', { length: 100 }).notNull(),
    resultClass: mysqlEnum('result_class', RESULT_CLASS).notNull(),
    text: text('text').notNull(),
    review: mysqlEnum('review', REPLY_REVIEW).notNull(),
    reviewNote: text('review_note'),
    /** The reply's due date when it was submitted (按期办复率). */
    dueDate: varchar('due_date', { length: 10 }),
    at: datetime('at', ms).notNull(),
    reviewedAt: datetime('reviewed_at', ms),
  },
  (t) => [index('proposal_replies_proposal_idx').on(t.proposalId)],
);

export const proposalEvaluations = mysqlTable(
  'proposal_evaluations',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    round: int('round').notNull(),
    /** 满意 / 基本满意 / 不满意 / 视为满意. */
    rating: varchar('rating', { length: 8 }).notNull(),
    comment: text('comment'),
    at: datetime('at', ms).notNull(),
  },
  (t) => [index('proposal_evaluations_proposal_idx').on(t.proposalId)],
);

/** Scheduled deadline work (reminders, the 面商 question, the no-evaluation rule), claimed with a lease. */
export const proposalDeadlines = mysqlTable(
  'proposal_deadlines',
  {
    id: int('id').autoincrement().primaryKey(),
    proposalId: int('proposal_id').notNull(),
    kind: varchar('kind', { length: 32 }).notNull(),
    /** The unit it concerns; '' when none. */
    unit: varchar('unit', { length: 100 }).notNull(),
    round: int('round').notNull(),
    dueAt: datetime('due_at', ms).notNull(),
    leaseUntil: datetime('lease_until', ms),
    doneAt: datetime('done_at', ms),
  },
  (t) => [
    uniqueIndex('proposal_deadlines_uq').on(t.proposalId, t.kind, t.unit, t.round),
    index('proposal_deadlines_due_idx').on(t.doneAt, t.dueAt),
  ],
);
