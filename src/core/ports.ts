/**
 * The ports the use-cases need. Each has two adapters (src/store/sqlite + memory for the embedded default,
 * src/store/mysql + redis for production) and one contract suite (test/contract) that every adapter passes.
 */

/** One accepted callback, as stored before it is acknowledged. */
export interface InboxEnvelope {
  /** The channel that stored it and decodes it; 'wecom-app' when absent. */
  channel?: string;
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
  channel: string;
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
  /** The channel that delivers it; 'wecom-app' (the WeCom self-built app) when absent. */
  channel?: string;
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
  /** The channel that delivers it ('wecom-app' unless the message named another). */
  channel: string;
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
  /**
   * Renews the lease of the items still held under `heldUntil` (the nextAttemptAt their claim or last renewal set)
   * to `until`, and returns how many it renewed. An item settled, rescheduled or taken over by another sender
   * meanwhile has another nextAttemptAt (or status) and is left alone: the lease time is the holder's token.
   */
  renewLease(ids: readonly number[], heldUntil: Date, until: Date): Promise<number>;
  /**
   * Puts the item back for a later attempt; `countAttempt` false for pacing delays that are not failures. With
   * `heldUntil` (the lease time the caller holds the item under), only while the item is still held under it: a
   * sender that lost its lease must not move the lease of the sender that took the item over.
   */
  reschedule(
    id: number,
    retry: { at: Date; errcode: number | null; reason: string; countAttempt: boolean; heldUntil?: Date },
  ): Promise<void>;
  /**
   * Items for one user with id > afterId, oldest first, including batches whose recipients include the user (local
   * outbox reader, chat simulator, tests).
   */
  listForUser(toUser: string, afterId: number, limit: number): Promise<OutboxItem[]>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
}

/**
 * 委员, 工作人员 (提案委 office), 承办单位 contact (acts for `unit`; a unit may have several), 督办领导. Flows treat
 * everyone but staff as members.
 */
export type MemberRole = 'member' | 'staff' | 'unit' | 'supervisor';

export interface Member {
  userId: string;
  name: string;
  role: MemberRole;
  sector: string | null;
  committee: string | null;
  mobile: string | null;
  active: boolean;
  /** The 承办单位 a unit contact acts for (role 'unit'); null or absent for everyone else. */
  unit?: string | null;
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

/**
 * A write of the pipeline itself. Features declare their own variants and add them to `Change` by augmenting
 * `FeatureChanges` (see src/features/proposals/changes.ts); their appliers are registered with the feature.
 */
export type CoreChange =
  | { type: 'inbox.done'; id: number; at: Date }
  | { type: 'inbox.dead'; id: number; reason: string; at: Date }
  | { type: 'outbox.add'; message: NewOutboxMessage; at: Date }
  | { type: 'conversation.save'; userId: string; data: unknown; at: Date }
  | { type: 'conversation.delete'; userId: string }
  | { type: 'draft.save'; draft: Omit<Draft, 'createdAt' | 'updatedAt'>; at: Date }
  | { type: 'draft.delete'; id: string }
  /**
   * OutboxStore.markSent / markFailed as changes, to land together with what a delivery report adds. 'outbox.sent'
   * is unconditional (a message WeCom accepted is sent). 'outbox.failed' applies only to a pending item and, with
   * `heldUntil` (the lease time the sender holds the item under), only while it is still held under it: a sender
   * whose lease ran out must not fail for good an item another sender took over (and may be retrying). Callers
   * that hold no lease (an admin, a delivery report) leave it out.
   */
  | { type: 'outbox.sent'; id: number; sentAt: Date; wecomMsgId: string | null }
  | {
      type: 'outbox.failed';
      id: number;
      errcode: number | null;
      reason: string;
      at: Date;
      heldUntil?: Date;
    };

/**
 * Each feature adds its Change union here by module augmentation, one property per feature:
 * `declare module '../../core/ports.js' { interface FeatureChanges { proposals: ProposalChange } }`.
 * So `Change` stays one closed, checked union while core imports no feature.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FeatureChanges {}

/** A write applied by Database.commit; all changes of one commit land together or not at all. */
export type Change = CoreChange | FeatureChanges[keyof FeatureChanges];

export interface Database {
  readonly dialect: 'sqlite' | 'mysql';
  inbox: InboxStore;
  outbox: OutboxStore;
  members: MemberStore;
  conversations: ConversationStore;
  drafts: DraftStore;
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
