/** The notices feature's types, store port and writes. */
export type { NoticeAnswer, NoticeAudience, NoticeKind } from './domain/types.js';
import type { NoticeAnswer, NoticeDraft } from './domain/types.js';

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
  /** Sent notices, most recently sent first. */
  listSent(limit: number): Promise<Notice[]>;
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

/** The notices feature's writes (applied by ./changes.ts, both dialects). */
export type NoticeChange =
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
  | { type: 'notice.reminderDone'; id: number; at: Date };
