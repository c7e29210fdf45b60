/** The proposals feature's types, store port and writes. */
/** Proposal status codes; labels live in domain/proposals. */
import type { ProposalStatus } from './domain/status.js';

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

export interface ProposalStore {
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

/** The proposals feature's writes (applied by ./changes.ts, both dialects). */
export type ProposalChange =
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
