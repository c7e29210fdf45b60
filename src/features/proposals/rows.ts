/**
 * Row → port-type mapping and the storage rules of the proposal tables, shared by sqliteProposalStore.ts and
 * mysqlProposalStore.ts: both dialects infer the same row types (tablesGuard.ts).
 */
import type { Cosigner, Proposal, ProposalEvent } from './ports.js';
import type { CosignerRow, ProposalEventRow, ProposalRow } from './tablesGuard.js';

export function toProposal(row: ProposalRow): Proposal {
  return {
    id: row.id,
    submitKey: row.submitKey,
    year: row.year,
    seq: row.seq,
    number: row.number,
    ownerId: row.ownerId,
    title: row.title,
    category: row.category,
    subcategory: row.subcategory,
    reason: row.reason,
    suggestions: row.suggestions,
    handlingUnits: row.handlingUnits,
    isPublic: row.isPublic,
    privateReason: row.privateReason,
    status: row.status,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
  };
}

export function toProposalEvent(row: ProposalEventRow): ProposalEvent {
  return { proposalId: row.proposalId, status: row.status, note: row.note, at: row.at };
}

export function toCosigner(row: CosignerRow): Cosigner {
  return { proposalId: row.proposalId, userId: row.userId, status: row.status, respondedAt: row.respondedAt };
}

/** The owner is never their own co-signer; repeated ids count once; order kept. */
export function cosignerIdsOf(ownerId: string, ids: readonly string[]): string[] {
  return [...new Set(ids)].filter((id) => id !== ownerId);
}

/** Co-signer statuses that list the proposal for the co-signer (a declined one no longer sees it). */
export const LISTED_COSIGNER_STATUSES = ['invited', 'accepted'] as const;
