/**
 * Row → port-type mapping and the storage rules of the proposal tables, shared by sqliteProposalStore.ts and
 * mysqlProposalStore.ts: both dialects infer the same row types (tablesGuard.ts).
 */
import type {
  Assignment,
  Cosigner,
  DeadlineWork,
  Proposal,
  ProposalEvent,
  StoredTimelineEvent,
} from './ports.js';
import type { EvaluationRecord, MeetingRecord, ReplyRecord } from './lifecycle/types.js';
import type {
  AssignmentRow,
  CosignerRow,
  DeadlineRow,
  EvaluationRow,
  MeetingRow,
  ProposalEventRow,
  ProposalRow,
  ReplyRow,
} from './tablesGuard.js';
import { LIFECYCLE_ACTIONS, LIFECYCLE_ROLES, type LifecycleRole } from './domain/lifecycle.js';

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
    version: row.version,
    keyProposal: row.keyProposal,
    mergedInto: row.mergedInto,
    rehandlingRound: row.rehandlingRound,
    dueDate: row.dueDate,
    lastReplyClass: row.lastReplyClass,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
  };
}

const EVENT_KINDS: readonly string[] = [...LIFECYCLE_ACTIONS, 'submitted', 'meeting_check', 'reminder'];

function eventKind(kind: string): StoredTimelineEvent['kind'] {
  // Rows written before the lifecycle carry 'status' (a bare status change): shown as the status they set.
  return (EVENT_KINDS.includes(kind) ? kind : 'submitted') as StoredTimelineEvent['kind'];
}

function role(value: string | null): LifecycleRole | null {
  return value !== null && (LIFECYCLE_ROLES as readonly string[]).includes(value)
    ? (value as LifecycleRole)
    : null;
}

export function toTimelineEvent(row: ProposalEventRow): StoredTimelineEvent {
  return {
    id: row.id,
    proposalId: row.proposalId,
    kind: eventKind(row.kind),
    actorId: row.actorId ?? 'system',
    actorRole: role(row.actorRole),
    unit: row.unit,
    onBehalf: row.onBehalf,
    fromStatus: row.fromStatus,
    toStatus: row.status,
    note: row.note,
    details: row.details ?? {},
    at: row.at,
  };
}

export function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    proposalId: row.proposalId,
    unit: row.unit,
    role: row.role,
    state: row.state,
    assignedAt: row.assignedAt,
    meetingDue: row.meetingDue,
    returnBy: row.returnBy,
    replyDue: row.replyDue,
    signedAt: row.signedAt,
  };
}

export function toMeeting(row: MeetingRow): MeetingRecord & { proposalId: number } {
  return {
    proposalId: row.proposalId,
    unit: row.unit,
    date: row.date,
    way: row.way,
    participants: row.participants,
    note: row.note,
    source: row.source,
    held: row.held,
    at: row.at,
  };
}

export function toReply(row: ReplyRow): ReplyRecord & { proposalId: number; dueDate: string | null } {
  return {
    proposalId: row.proposalId,
    round: row.round,
    unit: row.unit,
    resultClass: row.resultClass,
    text: row.text,
    review: row.review,
    reviewNote: row.reviewNote,
    dueDate: row.dueDate,
    at: row.at,
  };
}

export function toEvaluation(row: EvaluationRow): EvaluationRecord & { proposalId: number } {
  return {
    proposalId: row.proposalId,
    round: row.round,
    rating: row.rating as EvaluationRecord['rating'],
    comment: row.comment,
    at: row.at,
  };
}

export function toDeadline(row: DeadlineRow): DeadlineWork {
  return {
    id: row.id,
    proposalId: row.proposalId,
    kind: row.kind,
    unit: row.unit,
    round: row.round,
    dueAt: row.dueAt,
  };
}

/** Thrown inside a commit when a transition was decided on an older version: the whole commit rolls back. */
export class StaleProposalError extends Error {
  constructor(proposalId: number, expectedVersion: number) {
    super(`proposal ${proposalId} changed since version ${expectedVersion}`);
    this.name = 'StaleProposalError';
  }
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
