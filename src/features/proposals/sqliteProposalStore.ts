import { and, asc, desc, eq, inArray, max, or } from 'drizzle-orm';
import { cosigners, proposalEvents, proposals } from './tables.sqlite.js';
import type { CosignerStatus, NewProposal, ProposalStatus, ProposalStore } from './ports.js';
import { LISTED_COSIGNER_STATUSES, cosignerIdsOf, toCosigner, toProposal, toProposalEvent } from './rows.js';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';
import { sqliteLifecycleReads } from './sqliteLifecycleStore.js';

/**
 * Change 'proposal.submit'. ON CONFLICT names submit_key only: a resubmission is a no-op, while a (year, seq)
 * collision still raises and fails the whole commit (the caller picks another seq and retries).
 */
export function submitSqliteProposal(
  db: SqliteDb,
  proposal: NewProposal,
  cosignerIds: readonly string[],
  at: Date,
): void {
  const inserted = db
    .insert(proposals)
    .values({ ...proposal, status: 'submitted', submittedAt: at, updatedAt: at })
    .onConflictDoNothing({ target: proposals.submitKey })
    .returning({ id: proposals.id })
    .get();
  if (!inserted) return;
  db.insert(proposalEvents)
    .values({
      proposalId: inserted.id,
      status: 'submitted',
      kind: 'submitted',
      actorId: proposal.ownerId,
      actorRole: 'proposer',
      note: null,
      at,
    })
    .run();
  const ids = cosignerIdsOf(proposal.ownerId, cosignerIds);
  if (ids.length > 0) {
    db.insert(cosigners)
      .values(ids.map((userId) => ({ proposalId: inserted.id, userId, status: 'invited' as const })))
      .run();
  }
}

/** Change 'proposal.status': a no-op (no event either) when the proposal does not exist. */
export function setSqliteProposalStatus(
  db: SqliteDb,
  proposalId: number,
  status: ProposalStatus,
  note: string | null,
  at: Date,
): void {
  const result = db
    .update(proposals)
    .set({ status, updatedAt: at })
    .where(eq(proposals.id, proposalId))
    .run();
  if (result.changes === 0) return;
  db.insert(proposalEvents).values({ proposalId, status, note, at }).run();
}

/** Change 'cosigner.respond': a pending invitation changes, and a declined one may become accepted; else a no-op. */
export function respondSqliteCosigner(
  db: SqliteDb,
  proposalId: number,
  userId: string,
  status: Exclude<CosignerStatus, 'invited'>,
  at: Date,
): void {
  db.update(cosigners)
    .set({ status, respondedAt: at })
    .where(
      and(
        eq(cosigners.proposalId, proposalId),
        eq(cosigners.userId, userId),
        status === 'accepted'
          ? inArray(cosigners.status, ['invited', 'declined'])
          : eq(cosigners.status, 'invited'),
      ),
    )
    .run();
}

export function createSqliteProposals(db: SqliteDb): ProposalStore {
  return {
    ...sqliteLifecycleReads(db),
    getBySubmitKey: (submitKey) =>
      guardSqlite(() => {
        const row = db.select().from(proposals).where(eq(proposals.submitKey, submitKey)).get();
        return row ? toProposal(row) : null;
      }),

    listForMember: (userId) =>
      guardSqlite(() =>
        db
          .select()
          .from(proposals)
          .where(
            or(
              eq(proposals.ownerId, userId),
              inArray(
                proposals.id,
                db
                  .select({ id: cosigners.proposalId })
                  .from(cosigners)
                  .where(
                    and(eq(cosigners.userId, userId), inArray(cosigners.status, LISTED_COSIGNER_STATUSES)),
                  ),
              ),
            ),
          )
          .orderBy(desc(proposals.submittedAt), desc(proposals.id))
          .all()
          .map(toProposal),
      ),

    maxSeq: (year) =>
      guardSqlite(() => {
        const row = db
          .select({ seq: max(proposals.seq) })
          .from(proposals)
          .where(eq(proposals.year, year))
          .get();
        return Number(row?.seq ?? 0);
      }),

    events: (proposalId) =>
      guardSqlite(() =>
        db
          .select()
          .from(proposalEvents)
          .where(eq(proposalEvents.proposalId, proposalId))
          .orderBy(asc(proposalEvents.id))
          .all()
          .map(toProposalEvent),
      ),

    cosigners: (proposalId) =>
      guardSqlite(() =>
        db
          .select()
          .from(cosigners)
          .where(eq(cosigners.proposalId, proposalId))
          .orderBy(asc(cosigners.userId))
          .all()
          .map(toCosigner),
      ),

    invitationsFor: (userId) =>
      guardSqlite(() =>
        db
          .select()
          .from(proposals)
          .innerJoin(cosigners, eq(cosigners.proposalId, proposals.id))
          .where(eq(cosigners.userId, userId))
          .orderBy(desc(proposals.submittedAt), desc(proposals.id))
          .all()
          .map((row) => ({ proposal: toProposal(row.proposals), status: row.cosigners.status })),
      ),
  };
}
