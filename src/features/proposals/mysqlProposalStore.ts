import { and, asc, desc, eq, inArray, max, or, sql } from 'drizzle-orm';
import { cosigners, proposalEvents, proposals } from './tables.mysql.js';
import type { CosignerStatus, NewProposal, ProposalStatus, ProposalStore } from './ports.js';
import { LISTED_COSIGNER_STATUSES, cosignerIdsOf, toCosigner, toProposal, toProposalEvent } from './rows.js';
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import { isMysqlDuplicate, type MysqlGuard } from '../../store/mysql/mysqlErrors.js';
import { mysqlLifecycleReads } from './mysqlLifecycleStore.js';

/**
 * Change 'proposal.submit'. A plain insert: ODKU and INSERT IGNORE would also swallow a (year, seq) collision, which
 * must fail the commit. On ER_DUP_ENTRY (only that statement is undone; the transaction goes on) a locking read
 * tells the two keys apart: the submit_key row exists → an earlier or concurrent submission won, a no-op;
 * otherwise it was (year, seq) → rethrow. LOCK IN SHARE MODE, not FOR UPDATE: every loser of a concurrent race
 * already holds a shared lock on the duplicate key, and all asking for an exclusive one would deadlock. It also reads
 * the latest committed row, not the transaction's snapshot. (MariaDB has no `FOR SHARE`, hence raw SQL.)
 */
export async function submitMysqlProposal(
  db: MysqlDb,
  proposal: NewProposal,
  cosignerIds: readonly string[],
  at: Date,
): Promise<void> {
  let proposalId: number;
  try {
    const [inserted] = await db
      .insert(proposals)
      .values({ ...proposal, status: 'submitted', submittedAt: at, updatedAt: at })
      .$returningId();
    if (!inserted) throw new Error('proposal insert returned no id');
    proposalId = inserted.id;
  } catch (err) {
    if (!isMysqlDuplicate(err)) throw err;
    const [rows] = await db.execute(
      sql`SELECT ${proposals.id} FROM ${proposals} WHERE ${proposals.submitKey} = ${proposal.submitKey} LOCK IN SHARE MODE`,
    );
    if (Array.isArray(rows) && rows.length > 0) return;
    throw err;
  }
  await db.insert(proposalEvents).values({
    proposalId,
    status: 'submitted',
    kind: 'submitted',
    actorId: proposal.ownerId,
    actorRole: 'proposer',
    note: null,
    at,
  });
  const ids = cosignerIdsOf(proposal.ownerId, cosignerIds);
  if (ids.length > 0) {
    await db
      .insert(cosigners)
      .values(ids.map((userId) => ({ proposalId, userId, status: 'invited' as const })));
  }
}

/** Change 'proposal.status': a no-op (no event either) when the proposal does not exist. */
export async function setMysqlProposalStatus(
  db: MysqlDb,
  proposalId: number,
  status: ProposalStatus,
  note: string | null,
  at: Date,
): Promise<void> {
  // affectedRows counts matched rows (mysql2 sets CLIENT_FOUND_ROWS), so an unchanged status still counts.
  const [result] = await db
    .update(proposals)
    .set({ status, updatedAt: at })
    .where(eq(proposals.id, proposalId));
  if (result.affectedRows === 0) return;
  await db.insert(proposalEvents).values({ proposalId, status, note, at });
}

/** Change 'cosigner.respond': a pending invitation changes, and a declined one may become accepted; else a no-op. */
export async function respondMysqlCosigner(
  db: MysqlDb,
  proposalId: number,
  userId: string,
  status: Exclude<CosignerStatus, 'invited'>,
  at: Date,
): Promise<void> {
  await db
    .update(cosigners)
    .set({ status, respondedAt: at })
    .where(
      and(
        eq(cosigners.proposalId, proposalId),
        eq(cosigners.userId, userId),
        status === 'accepted'
          ? inArray(cosigners.status, ['invited', 'declined'])
          : eq(cosigners.status, 'invited'),
      ),
    );
}

export function createMysqlProposals(db: MysqlDb, guardMysql: MysqlGuard): ProposalStore {
  return {
    ...mysqlLifecycleReads(db, guardMysql),
    getBySubmitKey: (submitKey) =>
      guardMysql(async () => {
        const [row] = await db.select().from(proposals).where(eq(proposals.submitKey, submitKey));
        return row ? toProposal(row) : null;
      }),

    listForMember: (userId) =>
      guardMysql(async () => {
        const rows = await db
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
          .orderBy(desc(proposals.submittedAt), desc(proposals.id));
        return rows.map(toProposal);
      }),

    maxSeq: (year) =>
      guardMysql(async () => {
        const [row] = await db
          .select({ seq: max(proposals.seq) })
          .from(proposals)
          .where(eq(proposals.year, year));
        return Number(row?.seq ?? 0);
      }),

    events: (proposalId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(proposalEvents)
            .where(eq(proposalEvents.proposalId, proposalId))
            .orderBy(asc(proposalEvents.id))
        ).map(toProposalEvent),
      ),

    cosigners: (proposalId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(cosigners)
            .where(eq(cosigners.proposalId, proposalId))
            .orderBy(asc(cosigners.userId))
        ).map(toCosigner),
      ),

    invitationsFor: (userId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(proposals)
            .innerJoin(cosigners, eq(cosigners.proposalId, proposals.id))
            .where(eq(cosigners.userId, userId))
            .orderBy(desc(proposals.submittedAt), desc(proposals.id))
        ).map((row) => ({ proposal: toProposal(row.proposals), status: row.cosigners.status })),
      ),
  };
}
