/**
 * The ports the use-cases need. Each has two adapters (src/store/sqlite + memory for the embedded default,
 * src/store/mysql + redis for production) and one contract suite (test/contract) that every adapter passes.
 */
import type { ProposalStatus } from '../features/proposals/domain/status.js';

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

/**
 * Instead of sending `message`, update the template card the member tapped (message/update_template_card with the
 * tap's response code, valid 72 h and usable once, doc 94888). When WeCom refuses the update, `message` (a short
 * text) is sent instead.
 */
export interface CardUpdate {
  responseCode: string;
  /** The new text of the card's disabled button, e.g. 已选择：参加. */
  replaceName: string;
}

export interface NewOutboxMessage {
  /** Unique: a second message with the same key is ignored (idempotent handlers). */
  dedupKey: string;
  /** The recipient; for a batch, a label (`@notice:12:0`) that no member id can be. */
  toUser: string;
  message: OutboundMessage;
  /** Earliest send time; defaults to the commit time. */
  notBefore?: Date;
  /** A batch: one message/send to all of these (at most MAX_RECIPIENTS_PER_SEND, wecom/limits.ts). */
  recipients?: string[];
  /** The notice this message delivers: the sender records per-recipient delivery on it. */
  noticeId?: number;
  cardUpdate?: CardUpdate;
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
  /** Present only on batches, notice deliveries and card updates (see NewOutboxMessage). */
  recipients?: string[];
  noticeId?: number;
  cardUpdate?: CardUpdate;
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
  /**
   * Items for one user with id > afterId, oldest first, including batches whose recipients include the user (local
   * outbox reader, chat simulator, tests).
   */
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

/** Proposal statuses are the proposals domain's (features/proposals/domain/status.ts); re-exported for the ports. */
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
  get(id: number): Promise<Proposal | null>;
  getBySubmitKey(submitKey: string): Promise<Proposal | null>;
  /** Proposals the member proposed or co-signs (invited or accepted), newest first. */
  listForMember(userId: string): Promise<Proposal[]>;
  /** Highest seq used in the year (0 when none). */
  maxSeq(year: number): Promise<number>;
  events(proposalId: number): Promise<ProposalEvent[]>;
  cosigners(proposalId: number): Promise<Cosigner[]>;
}

export type { NoticeAnswer, NoticeAudience, NoticeKind } from '../features/notices/domain/types.js';
import type { NoticeAnswer, NoticeDraft } from '../features/notices/domain/types.js';

export type NoticeStatus = 'draft' | 'sent';
export type NoticeDelivery = 'pending' | 'sent' | 'failed';
export type NoticeReminderKind = 'nonResponders' | 'morning';

/** A notice as stored: what staff wrote (validated), plus who sent it and its idempotency key. */
export interface NewNotice extends NoticeDraft {
  /** Idempotency key of the creation (admin request, conversation): one notice per key. */
  createKey: string;
  /** The staff member who sent it. */
  createdBy: string;
}

export interface Notice extends NewNotice {
  id: number;
  status: NoticeStatus;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NoticeRecipient {
  noticeId: number;
  userId: string;
  /** The name when the notice was sent. */
  name: string;
  answer: NoticeAnswer | null;
  /** 请假 reason. */
  reason: string | null;
  answeredAt: Date | null;
  delivery: NoticeDelivery;
  /** Why delivery failed: invaliduser, unlicenseduser, or WeCom's errcode/errmsg. */
  deliveryError: string | null;
  deliveredAt: Date | null;
}

export interface NoticeReminder {
  id: number;
  noticeId: number;
  kind: NoticeReminderKind;
  dueAt: Date;
  leaseUntil: Date | null;
  doneAt: Date | null;
}

export interface NoticeStore {
  get(id: number): Promise<Notice | null>;
  getByCreateKey(createKey: string): Promise<Notice | null>;
  /** The most recently sent notice, by anyone. */
  latestSent(): Promise<Notice | null>;
  /** Sent notices addressed to the member, most recently sent first. */
  listForMember(userId: string, limit: number): Promise<Notice[]>;
  /** Every recipient, by userid. */
  recipients(noticeId: number): Promise<NoticeRecipient[]>;
  recipient(noticeId: number, userId: string): Promise<NoticeRecipient | null>;
  reminders(noticeId: number): Promise<NoticeReminder[]>;
  /**
   * Leases up to `limit` undone reminders due at `now` (lease free or ended) until now + leaseMs, so that of
   * several instances only one runs each; one that dies leaves them due again when the lease ends.
   */
  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<NoticeReminder[]>;
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
    }
  /** Inserts a draft notice; a second one with the same createKey is a no-op. */
  | { type: 'notice.create'; notice: NewNotice; at: Date }
  /** Marks a draft notice sent with its resolved recipients (delivery pending) and reminders. A no-op when the
   * notice is not a draft any more (sent twice concurrently), so recipients are stored once. */
  | {
      type: 'notice.send';
      noticeId: number;
      recipients: { userId: string; name: string }[];
      reminders: { kind: NoticeReminderKind; dueAt: Date }[];
      at: Date;
    }
  /** Records a recipient's answer (a non-recipient is a no-op). `reason` null clears an earlier one. */
  | {
      type: 'notice.answer';
      noticeId: number;
      userId: string;
      answer: NoticeAnswer;
      reason: string | null;
      at: Date;
    }
  /** Per-recipient delivery result of a batch. */
  | {
      type: 'notice.delivery';
      noticeId: number;
      userIds: string[];
      delivery: Exclude<NoticeDelivery, 'pending'>;
      error: string | null;
      at: Date;
    }
  | { type: 'notice.reminderDone'; id: number; at: Date }
  /** OutboxStore.markSent / markFailed as changes, to land together with the notice.delivery they cause. */
  | { type: 'outbox.sent'; id: number; sentAt: Date; wecomMsgId: string | null }
  | { type: 'outbox.failed'; id: number; errcode: number | null; reason: string; at: Date };

export interface Database {
  readonly dialect: 'sqlite' | 'mysql';
  inbox: InboxStore;
  outbox: OutboxStore;
  members: MemberStore;
  conversations: ConversationStore;
  drafts: DraftStore;
  proposals: ProposalStore;
  notices: NoticeStore;
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
