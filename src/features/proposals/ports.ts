/** The proposals feature's types, store port and writes. */
/** Proposal status codes; labels live in domain/proposals. */
import type { ProposalStatus } from './domain/status.js';
import type { AssignmentState, ResultClass, UnitRole } from './domain/lifecycle.js';
import type {
  AssignmentView,
  EvaluationRecord,
  MeetingRecord,
  ReplyRecord,
  TimelineEvent,
} from './lifecycle/types.js';

export type { ProposalStatus };

export interface NewProposal {
  /** Idempotency key of the submission (e.g. the conversation's effect id): one proposal per key. */
  submitKey: string;
  year: number;
  /** Sequence within the year; (year, seq) is unique, so two concurrent submissions cannot share a number. */
  seq: number;
  /** Display number, e.g. 〔2026〕第012号. */
  number: string;
  ownerId: string;
  title: string;
  category: string | null;
  subcategory: string | null;
  /** 案由 / 情况分析. */
  reason: string;
  /** 具体建议. */
  suggestions: string;
  handlingUnits: string[];
  isPublic: boolean;
  /** 不公开理由 (null when public). */
  privateReason: string | null;
}

export interface Proposal extends NewProposal {
  id: number;
  status: ProposalStatus;
  /** Bumped by each lifecycle transition (optimistic lock). */
  version: number;
  keyProposal: boolean;
  mergedInto: number | null;
  rehandlingRound: number;
  /** The live step's deadline, Shanghai date. */
  dueDate: string | null;
  lastReplyClass: ResultClass | null;
  submittedAt: Date;
  updatedAt: Date;
}

export interface ProposalEvent {
  proposalId: number;
  status: ProposalStatus;
  note: string | null;
  at: Date;
}

export type CosignerStatus = 'invited' | 'accepted' | 'declined';

export interface Cosigner {
  proposalId: number;
  userId: string;
  status: CosignerStatus;
  respondedAt: Date | null;
}

/** A stored assignment (the view adds labels and contacts). */
export type Assignment = Omit<AssignmentView, 'roleLabel' | 'stateLabel' | 'contacts'> & {
  id: number;
  proposalId: number;
};

export type StoredTimelineEvent = Omit<TimelineEvent, 'label'>;

export type NewTimelineEvent = Omit<StoredTimelineEvent, 'id' | 'proposalId' | 'at'>;

export interface NewAssignment {
  unit: string;
  role: UnitRole;
  meetingDue: string | null;
  returnBy: string | null;
  replyDue: string | null;
}

export interface DeadlineWork {
  id: number;
  proposalId: number;
  /** meeting_check | sign_remind | reply_remind | reply_overdue | evaluation_due | follow_up | return_overdue */
  kind: string;
  unit: string;
  round: number;
  dueAt: Date;
}

export type NewDeadline = Omit<DeadlineWork, 'id' | 'proposalId'>;

export interface ProposalQuery {
  year?: number;
  status?: ProposalStatus;
  statuses?: readonly ProposalStatus[];
  category?: string;
  ids?: readonly number[];
}

export interface ProposalStore {
  get(id: number): Promise<Proposal | null>;
  /** Proposals matching every given filter, oldest first (a county has hundreds a year, not millions). */
  query(q: ProposalQuery): Promise<Proposal[]>;
  timeline(proposalId: number): Promise<StoredTimelineEvent[]>;
  /** Assignments of these proposals, reassigned ones included, in assignment order. */
  assignmentsFor(proposalIds: readonly number[]): Promise<Assignment[]>;
  meetingsFor(proposalIds: readonly number[]): Promise<(MeetingRecord & { proposalId: number })[]>;
  repliesFor(
    proposalIds: readonly number[],
  ): Promise<(ReplyRecord & { proposalId: number; dueDate: string | null })[]>;
  evaluationsFor(proposalIds: readonly number[]): Promise<(EvaluationRecord & { proposalId: number })[]>;
  /** Leases due deadline work (not done, due by `now`, lease expired or none). */
  claimDueDeadlines(now: Date, limit: number, leaseMs: number): Promise<DeadlineWork[]>;
  getBySubmitKey(submitKey: string): Promise<Proposal | null>;
  /** Proposals the member proposed or co-signs (invited or accepted), newest first. */
  listForMember(userId: string): Promise<Proposal[]>;
  /** Highest seq used in the year (0 when none). */
  maxSeq(year: number): Promise<number>;
  events(proposalId: number): Promise<ProposalEvent[]>;
  cosigners(proposalId: number): Promise<Cosigner[]>;
  /** Every proposal the member was invited to co-sign, whatever the answer, with that answer; newest first. */
  invitationsFor(userId: string): Promise<{ proposal: Proposal; status: CosignerStatus }[]>;
}

/** One lifecycle transition: all of it lands, or (stale version) the whole commit fails. */
export interface ProposalTransition {
  type: 'proposal.transition';
  proposalId: number;
  /** The version the decision was made on; another transition in between fails this commit (StaleProposalError). */
  expectedVersion: number;
  status: ProposalStatus;
  patch: {
    keyProposal?: boolean;
    mergedInto?: number | null;
    rehandlingRound?: number;
    dueDate?: string | null;
    lastReplyClass?: ResultClass | null;
    category?: string | null;
    handlingUnits?: string[];
    title?: string;
    reason?: string;
    suggestions?: string;
  };
  event: NewTimelineEvent;
  newAssignments: NewAssignment[];
  /** Matched by unit among the live (not reassigned) assignments. */
  assignmentUpdates: { unit: string; state: AssignmentState; signedAt?: Date; replyDue?: string | null }[];
  meeting?: Omit<MeetingRecord, 'at'>;
  reply?: { round: number; unit: string; resultClass: ResultClass; text: string; dueDate: string | null };
  /** Reviews the latest pending reply. */
  replyReview?: { review: 'approved' | 'rejected'; note: string | null };
  evaluation?: { round: number; rating: string; comment: string | null };
  /** Scheduled work; an existing (proposal, kind, unit, round) is kept as it is. */
  deadlines: NewDeadline[];
  at: Date;
}

/** The proposals feature's writes (applied by ./changes.ts, both dialects). */
export type ProposalChange =
  | ProposalTransition
  /** A timeline line without a transition (a reminder sent, the 面商 question asked). */
  | { type: 'proposal.event'; proposalId: number; event: NewTimelineEvent; at: Date }
  | { type: 'proposal.deadlineDone'; id: number; at: Date }
  /** Inserts the proposal with status 'submitted', its first event, and co-signers 'invited'. A second insert with the
   * same submitKey is a no-op; a (year, seq) collision fails the whole commit. */
  | { type: 'proposal.submit'; proposal: NewProposal; cosignerIds: string[]; at: Date }
  | { type: 'proposal.status'; proposalId: number; status: ProposalStatus; note: string | null; at: Date }
  /** Answers a pending invitation; a declined one may still turn into accepted (a co-signer who changed their
   * mind before 立案 — the caller checks the proposal's status). Anything else is a no-op. */
  | {
      type: 'cosigner.respond';
      proposalId: number;
      userId: string;
      status: 'accepted' | 'declined';
      at: Date;
    };
