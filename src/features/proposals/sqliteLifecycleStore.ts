import { and, asc, eq, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import {
  proposalAssignments,
  proposalDeadlines,
  proposalEvaluations,
  proposalEvents,
  proposalMeetings,
  proposalReplies,
  proposals,
} from './tables.sqlite.js';
import type { NewTimelineEvent, ProposalStore, ProposalTransition } from './ports.js';
import {
  StaleProposalError,
  toAssignment,
  toDeadline,
  toEvaluation,
  toMeeting,
  toProposal,
  toReply,
  toTimelineEvent,
} from './rows.js';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';
import { claimLeased } from '../../store/sqlite/claimLeased.js';

function eventValues(proposalId: number, e: NewTimelineEvent, at: Date) {
  return {
    proposalId,
    status: e.toStatus,
    note: e.note,
    kind: e.kind,
    actorId: e.actorId,
    actorRole: e.actorRole,
    unit: e.unit,
    onBehalf: e.onBehalf,
    fromStatus: e.fromStatus,
    details: e.details,
    at,
  };
}

/** Change 'proposal.transition': everything, or StaleProposalError (the commit rolls back). */
export function applySqliteTransition(db: SqliteDb, c: ProposalTransition): void {
  const result = db
    .update(proposals)
    .set({ ...c.patch, status: c.status, version: c.expectedVersion + 1, updatedAt: c.at })
    .where(and(eq(proposals.id, c.proposalId), eq(proposals.version, c.expectedVersion)))
    .run();
  if (result.changes === 0) throw new StaleProposalError(c.proposalId, c.expectedVersion);
  db.insert(proposalEvents)
    .values(eventValues(c.proposalId, c.event, c.at))
    .run();
  for (const u of c.assignmentUpdates) {
    db.update(proposalAssignments)
      .set({
        state: u.state,
        updatedAt: c.at,
        ...(u.signedAt ? { signedAt: u.signedAt } : {}),
        ...(u.replyDue !== undefined ? { replyDue: u.replyDue } : {}),
      })
      .where(
        and(
          eq(proposalAssignments.proposalId, c.proposalId),
          eq(proposalAssignments.unit, u.unit),
          inArray(proposalAssignments.state, [
            'pending',
            'signed',
            'return_requested',
            'opinion_sent',
            'replied',
          ]),
        ),
      )
      .run();
  }
  if (c.newAssignments.length > 0) {
    db.insert(proposalAssignments)
      .values(
        c.newAssignments.map((a) => ({
          ...a,
          proposalId: c.proposalId,
          state: 'pending' as const,
          assignedAt: c.at,
          updatedAt: c.at,
        })),
      )
      .run();
  }
  if (c.meeting)
    db.insert(proposalMeetings)
      .values({ ...c.meeting, proposalId: c.proposalId, at: c.at })
      .run();
  if (c.reply)
    db.insert(proposalReplies)
      .values({ ...c.reply, proposalId: c.proposalId, review: 'pending', at: c.at })
      .run();
  if (c.replyReview) {
    const latest = db
      .select({ id: proposalReplies.id })
      .from(proposalReplies)
      .where(and(eq(proposalReplies.proposalId, c.proposalId), eq(proposalReplies.review, 'pending')))
      .orderBy(asc(proposalReplies.id))
      .all()
      .at(-1);
    if (latest)
      db.update(proposalReplies)
        .set({ review: c.replyReview.review, reviewNote: c.replyReview.note, reviewedAt: c.at })
        .where(eq(proposalReplies.id, latest.id))
        .run();
  }
  if (c.evaluation)
    db.insert(proposalEvaluations)
      .values({ ...c.evaluation, proposalId: c.proposalId, at: c.at })
      .run();
  if (c.deadlines.length > 0)
    db.insert(proposalDeadlines)
      .values(c.deadlines.map((d) => ({ ...d, proposalId: c.proposalId })))
      .onConflictDoNothing()
      .run();
}

export function addSqliteEvent(db: SqliteDb, proposalId: number, e: NewTimelineEvent, at: Date): void {
  db.insert(proposalEvents)
    .values(eventValues(proposalId, e, at))
    .run();
}

export function doneSqliteDeadline(db: SqliteDb, id: number, at: Date): void {
  db.update(proposalDeadlines).set({ doneAt: at }).where(eq(proposalDeadlines.id, id)).run();
}

type LifecycleReads = Pick<
  ProposalStore,
  | 'get'
  | 'query'
  | 'timeline'
  | 'assignmentsFor'
  | 'meetingsFor'
  | 'repliesFor'
  | 'evaluationsFor'
  | 'claimDueDeadlines'
>;

export function sqliteLifecycleReads(db: SqliteDb): LifecycleReads {
  return {
    get: (id) =>
      guardSqlite(() => {
        const row = db.select().from(proposals).where(eq(proposals.id, id)).get();
        return row ? toProposal(row) : null;
      }),
    query: (q) =>
      guardSqlite(() => {
        const where: SQL[] = [];
        if (q.year !== undefined) where.push(eq(proposals.year, q.year));
        if (q.status !== undefined) where.push(eq(proposals.status, q.status));
        if (q.statuses !== undefined) where.push(inArray(proposals.status, [...q.statuses]));
        if (q.category !== undefined) where.push(eq(proposals.category, q.category));
        if (q.ids !== undefined) where.push(inArray(proposals.id, [...q.ids]));
        return db
          .select()
          .from(proposals)
          .where(and(...where))
          .orderBy(asc(proposals.submittedAt), asc(proposals.id))
          .all()
          .map(toProposal);
      }),
    timeline: (proposalId) =>
      guardSqlite(() =>
        db
          .select()
          .from(proposalEvents)
          .where(eq(proposalEvents.proposalId, proposalId))
          .orderBy(asc(proposalEvents.id))
          .all()
          .map(toTimelineEvent),
      ),
    assignmentsFor: (ids) =>
      guardSqlite(() =>
        ids.length === 0
          ? []
          : db
              .select()
              .from(proposalAssignments)
              .where(inArray(proposalAssignments.proposalId, [...ids]))
              .orderBy(asc(proposalAssignments.id))
              .all()
              .map(toAssignment),
      ),
    meetingsFor: (ids) =>
      guardSqlite(() =>
        ids.length === 0
          ? []
          : db
              .select()
              .from(proposalMeetings)
              .where(inArray(proposalMeetings.proposalId, [...ids]))
              .orderBy(asc(proposalMeetings.id))
              .all()
              .map(toMeeting),
      ),
    repliesFor: (ids) =>
      guardSqlite(() =>
        ids.length === 0
          ? []
          : db
              .select()
              .from(proposalReplies)
              .where(inArray(proposalReplies.proposalId, [...ids]))
              .orderBy(asc(proposalReplies.id))
              .all()
              .map(toReply),
      ),
    evaluationsFor: (ids) =>
      guardSqlite(() =>
        ids.length === 0
          ? []
          : db
              .select()
              .from(proposalEvaluations)
              .where(inArray(proposalEvaluations.proposalId, [...ids]))
              .orderBy(asc(proposalEvaluations.id))
              .all()
              .map(toEvaluation),
      ),
    claimDueDeadlines: (now, limit, leaseMs) =>
      guardSqlite(() => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        return claimLeased(db, {
          table: proposalDeadlines,
          due: and(
            isNull(proposalDeadlines.doneAt),
            lte(proposalDeadlines.dueAt, now),
            or(isNull(proposalDeadlines.leaseUntil), lte(proposalDeadlines.leaseUntil, now)),
          ),
          orderBy: [asc(proposalDeadlines.dueAt), asc(proposalDeadlines.id)],
          limit,
          lease: { leaseUntil },
        }).map(toDeadline);
      }),
  };
}
