import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  proposalAssignments,
  proposalDeadlines,
  proposalEvaluations,
  proposalEvents,
  proposalMeetings,
  proposalReplies,
  proposals,
} from './tables.mysql.js';
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
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import type { MysqlGuard } from '../../store/mysql/mysqlErrors.js';
import { claimLeased } from '../../store/mysql/claimLeased.js';

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
export async function applyMysqlTransition(db: MysqlDb, c: ProposalTransition): Promise<void> {
  // affectedRows counts matched rows (CLIENT_FOUND_ROWS): 0 means another transition moved the version.
  const [result] = await db
    .update(proposals)
    .set({ ...c.patch, status: c.status, version: c.expectedVersion + 1, updatedAt: c.at })
    .where(and(eq(proposals.id, c.proposalId), eq(proposals.version, c.expectedVersion)));
  if (result.affectedRows === 0) throw new StaleProposalError(c.proposalId, c.expectedVersion);
  await db.insert(proposalEvents).values(eventValues(c.proposalId, c.event, c.at));
  for (const u of c.assignmentUpdates) {
    await db
      .update(proposalAssignments)
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
      );
  }
  if (c.newAssignments.length > 0) {
    await db.insert(proposalAssignments).values(
      c.newAssignments.map((a) => ({
        ...a,
        proposalId: c.proposalId,
        state: 'pending' as const,
        assignedAt: c.at,
        updatedAt: c.at,
      })),
    );
  }
  if (c.meeting)
    await db.insert(proposalMeetings).values({ ...c.meeting, proposalId: c.proposalId, at: c.at });
  if (c.reply)
    await db
      .insert(proposalReplies)
      .values({ ...c.reply, proposalId: c.proposalId, review: 'pending', at: c.at });
  if (c.replyReview) {
    const latest = (
      await db
        .select({ id: proposalReplies.id })
        .from(proposalReplies)
        .where(and(eq(proposalReplies.proposalId, c.proposalId), eq(proposalReplies.review, 'pending')))
        .orderBy(asc(proposalReplies.id))
    ).at(-1);
    if (latest)
      await db
        .update(proposalReplies)
        .set({ review: c.replyReview.review, reviewNote: c.replyReview.note, reviewedAt: c.at })
        .where(eq(proposalReplies.id, latest.id));
  }
  if (c.evaluation)
    await db.insert(proposalEvaluations).values({ ...c.evaluation, proposalId: c.proposalId, at: c.at });
  if (c.deadlines.length > 0)
    // An existing (proposal, kind, unit, round) stays as it is: the no-op update keeps its due time and done mark.
    await db
      .insert(proposalDeadlines)
      .values(c.deadlines.map((d) => ({ ...d, proposalId: c.proposalId })))
      .onDuplicateKeyUpdate({ set: { proposalId: sql`${proposalDeadlines.proposalId}` } });
}

export async function addMysqlEvent(
  db: MysqlDb,
  proposalId: number,
  e: NewTimelineEvent,
  at: Date,
): Promise<void> {
  await db.insert(proposalEvents).values(eventValues(proposalId, e, at));
}

export async function doneMysqlDeadline(db: MysqlDb, id: number, at: Date): Promise<void> {
  await db.update(proposalDeadlines).set({ doneAt: at }).where(eq(proposalDeadlines.id, id));
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

export function mysqlLifecycleReads(db: MysqlDb, guardMysql: MysqlGuard): LifecycleReads {
  return {
    get: (id) =>
      guardMysql(async () => {
        const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
        return row ? toProposal(row) : null;
      }),
    query: (q) =>
      guardMysql(async () => {
        const where: SQL[] = [];
        if (q.year !== undefined) where.push(eq(proposals.year, q.year));
        if (q.status !== undefined) where.push(eq(proposals.status, q.status));
        if (q.statuses !== undefined) where.push(inArray(proposals.status, [...q.statuses]));
        if (q.category !== undefined) where.push(eq(proposals.category, q.category));
        if (q.ids !== undefined) where.push(inArray(proposals.id, [...q.ids]));
        const rows = await db
          .select()
          .from(proposals)
          .where(and(...where))
          .orderBy(asc(proposals.submittedAt), asc(proposals.id));
        return rows.map(toProposal);
      }),
    timeline: (proposalId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(proposalEvents)
            .where(eq(proposalEvents.proposalId, proposalId))
            .orderBy(asc(proposalEvents.id))
        ).map(toTimelineEvent),
      ),
    assignmentsFor: (ids) =>
      guardMysql(async () =>
        ids.length === 0
          ? []
          : (
              await db
                .select()
                .from(proposalAssignments)
                .where(inArray(proposalAssignments.proposalId, [...ids]))
                .orderBy(asc(proposalAssignments.id))
            ).map(toAssignment),
      ),
    meetingsFor: (ids) =>
      guardMysql(async () =>
        ids.length === 0
          ? []
          : (
              await db
                .select()
                .from(proposalMeetings)
                .where(inArray(proposalMeetings.proposalId, [...ids]))
                .orderBy(asc(proposalMeetings.id))
            ).map(toMeeting),
      ),
    repliesFor: (ids) =>
      guardMysql(async () =>
        ids.length === 0
          ? []
          : (
              await db
                .select()
                .from(proposalReplies)
                .where(inArray(proposalReplies.proposalId, [...ids]))
                .orderBy(asc(proposalReplies.id))
            ).map(toReply),
      ),
    evaluationsFor: (ids) =>
      guardMysql(async () =>
        ids.length === 0
          ? []
          : (
              await db
                .select()
                .from(proposalEvaluations)
                .where(inArray(proposalEvaluations.proposalId, [...ids]))
                .orderBy(asc(proposalEvaluations.id))
            ).map(toEvaluation),
      ),
    claimDueDeadlines: (now, limit, leaseMs) =>
      guardMysql(async () => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        const rows = await claimLeased(db, {
          table: proposalDeadlines,
          due: and(
            isNull(proposalDeadlines.doneAt),
            lte(proposalDeadlines.dueAt, now),
            or(isNull(proposalDeadlines.leaseUntil), lte(proposalDeadlines.leaseUntil, now)),
          ),
          orderBy: [asc(proposalDeadlines.dueAt), asc(proposalDeadlines.id)],
          limit,
          lease: { leaseUntil },
        });
        return rows.map(toDeadline);
      }),
  };
}
