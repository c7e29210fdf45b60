/**
 * The ports the use-cases need. Each has two adapters (src/store/sqlite + memory for the embedded default,
 * src/store/mysql + redis for production) and one contract suite (test/contract) that every adapter passes.
 */

/** One accepted callback, as stored before it is acknowledged. */
export interface InboxEnvelope {
  /** Unique: MsgId for messages; FromUserName + CreateTime + Event + EventKey for events. Deduplicates WeCom's retries. */
  dedupKey: string;
  /** FromUserName; messages of one user are processed one at a time, in arrival order. */
  userId: string;
  /** MsgType, or `event:<Event>`: for diagnostics only. */
  kind: string;
  /** The `Encrypt` ciphertext as received: message text stays encrypted at rest in the inbox. */
  encrypted: string;
  receivedAt: Date;
}

export type InboxStatus = 'pending' | 'done' | 'dead';

export interface InboxItem extends InboxEnvelope {
  id: number;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

export interface InboxStore {
  /** Stores the envelope unless one with the same dedupKey exists. Throws StoreUnavailableError when the store is down. */
  add(envelope: InboxEnvelope): Promise<'stored' | 'duplicate'>;
  /** Users having a pending item due at `now`, the user with the oldest such item first. */
  pendingUsers(now: Date, limit: number): Promise<string[]>;
  /** The user's oldest pending item, due or not (a later item must wait for an earlier one). */
  nextForUser(userId: string): Promise<InboxItem | null>;
  /** Records a failed attempt; `retryAt` null marks the item dead. */
  recordFailure(id: number, failure: { error: string; retryAt: Date | null }): Promise<void>;
  get(id: number): Promise<InboxItem | null>;
  countByStatus(): Promise<Record<InboxStatus, number>>;
}

import type { OutboundMessage } from '../wecom/outbound.js';

export type { OutboundMessage };

export interface NewOutboxMessage {
  /** Unique: a second message with the same key is ignored (idempotent handlers). */
  dedupKey: string;
  toUser: string;
  message: OutboundMessage;
  /** Earliest send time; defaults to the commit time. */
  notBefore?: Date;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxItem {
  id: number;
  dedupKey: string;
  toUser: string;
  message: OutboundMessage;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastErrcode: number | null;
  lastError: string | null;
  wecomMsgId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxStore {
  /**
   * Leases up to `limit` pending items due at `now` by moving their nextAttemptAt to now + leaseMs, so no other
   * sender takes them; a sender that dies leaves them due again when the lease ends. Oldest first.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  markSent(id: number, result: { sentAt: Date; wecomMsgId: string | null }): Promise<void>;
  /** Final failure with its reason (e.g. invaliduser). */
  markFailed(id: number, failure: { errcode: number | null; reason: string; at: Date }): Promise<void>;
  /** Puts the item back for a later attempt; `countAttempt` false for pacing delays that are not failures. */
  reschedule(
    id: number,
    retry: { at: Date; errcode: number | null; reason: string; countAttempt: boolean },
  ): Promise<void>;
  get(id: number): Promise<OutboxItem | null>;
  /** Items for one user with id > afterId, oldest first (local outbox reader, chat simulator, tests). */
  listForUser(toUser: string, afterId: number, limit: number): Promise<OutboxItem[]>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
}

export type MemberRole = 'member' | 'staff';

export interface Member {
  userId: string;
  name: string;
  role: MemberRole;
  sector: string | null;
  committee: string | null;
  mobile: string | null;
  active: boolean;
}

export interface MemberStore {
  get(userId: string): Promise<Member | null>;
  /** Inserts or updates every member in one transaction: all or nothing. */
  upsertMany(members: readonly Member[]): Promise<{ inserted: number; updated: number }>;
  list(): Promise<Member[]>;
  count(): Promise<number>;
}

/** One member's live conversation (flow state and what it is pinned to); the shape belongs to app/. */
export interface ConversationRecord {
  userId: string;
  data: unknown;
  updatedAt: Date;
}

export interface ConversationStore {
  get(userId: string): Promise<ConversationRecord | null>;
}

/** A saved, unfinished proposal draft; a member may keep several. `data` belongs to app/ (flow state + answers). */
export interface Draft {
  id: string;
  userId: string;
  flowId: string;
  title: string | null;
  data: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface DraftStore {
  get(id: string): Promise<Draft | null>;
  /** The user's drafts, most recently updated first. */
  listForUser(userId: string): Promise<Draft[]>;
}

/** Proposal status codes (domain.md §2.2); labels live in domain/proposals. */
export const PROPOSAL_STATUSES = [
  'submitted',
  'under_review',
  'returned',
  'withdrawn',
  'merged',
  'not_registered',
  'registered',
  'assigned',
  'in_progress',
  'replied',
  'rehandling',
  'closed',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

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
  get(id: number): Promise<Proposal | null>;
  getBySubmitKey(submitKey: string): Promise<Proposal | null>;
  /** Proposals the member proposed or co-signs (invited or accepted), newest first. */
  listForMember(userId: string): Promise<Proposal[]>;
  /** Highest seq used in the year (0 when none). */
  maxSeq(year: number): Promise<number>;
  events(proposalId: number): Promise<ProposalEvent[]>;
  cosigners(proposalId: number): Promise<Cosigner[]>;
}

/** A write applied by Database.commit; all changes of one commit land together or not at all. */
export type Change =
  | { type: 'inbox.done'; id: number; at: Date }
  | { type: 'inbox.dead'; id: number; reason: string; at: Date }
  | { type: 'outbox.add'; message: NewOutboxMessage; at: Date }
  | { type: 'conversation.save'; userId: string; data: unknown; at: Date }
  | { type: 'conversation.delete'; userId: string }
  | { type: 'draft.save'; draft: Omit<Draft, 'createdAt' | 'updatedAt'>; at: Date }
  | { type: 'draft.delete'; id: string }
  /** Inserts the proposal with status 'submitted', its first event, and co-signers 'invited'. A second insert with the
   * same submitKey is a no-op; a (year, seq) collision fails the whole commit. */
  | { type: 'proposal.submit'; proposal: NewProposal; cosignerIds: string[]; at: Date }
  | { type: 'proposal.status'; proposalId: number; status: ProposalStatus; note: string | null; at: Date }
  | {
      type: 'cosigner.respond';
      proposalId: number;
      userId: string;
      status: 'accepted' | 'declined';
      at: Date;
    };

export interface Database {
  readonly dialect: 'sqlite' | 'mysql';
  inbox: InboxStore;
  outbox: OutboxStore;
  members: MemberStore;
  conversations: ConversationStore;
  drafts: DraftStore;
  proposals: ProposalStore;
  /** Applies the changes in one transaction. */
  commit(changes: readonly Change[]): Promise<void>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What may be lost: token cache, rate-limit counters, locks. Redis in production, in-process when embedded. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** SET NX: true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Compare-and-delete: deletes only when the current value equals `value`. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Compare-and-extend: sets a new TTL only when the current value equals `value`. */
  expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Increments a counter, creating it with the TTL when absent; returns the new value. */
  incr(key: string, ttlMs: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A mutual-exclusion lock with a TTL, so a dead holder cannot block forever. */
export interface Lock {
  /** Returns a token when acquired, null when someone else holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}
