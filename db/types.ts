/**
 * Row types shared by the two drizzle schemas (db/sqlite.ts, db/mysql.ts) and the compile-time drift guard that
 * keeps them equal. Drizzle has no dialect-neutral schema, so each table is written twice; the `Assert<Eq<…>>`
 * lines below fail `tsc` as soon as a column's name, type, nullability or default-ness differs between the two.
 */
import { PROPOSAL_STATUSES } from '../src/features/proposals/domain/status.js';
import type {
  CardUpdate,
  CosignerStatus,
  NoticeAnswer,
  NoticeAudience,
  NoticeDelivery,
  NoticeReminderKind,
  NoticeStatus,
  ProposalStatus,
} from '../src/core/ports.js';
import type { OutboundMessage } from '../src/wecom/outbound.js';
import type * as my from './mysql.js';
import type * as lite from './sqlite.js';

export const INBOX_STATUS = ['pending', 'done', 'dead'] as const;
export const OUTBOX_STATUS = ['pending', 'sent', 'failed'] as const;
export const MEMBER_ROLE = ['member', 'staff'] as const;
/** The port's list (src/app/ports.ts) is the single source: adding a status there changes both enums. */
export const PROPOSAL_STATUS = PROPOSAL_STATUSES;
export const COSIGNER_STATUS = ['invited', 'accepted', 'declined'] as const;
export const NOTICE_STATUS = ['draft', 'sent'] as const;
export const NOTICE_ANSWER = ['attend', 'leave'] as const;
export const NOTICE_DELIVERY = ['pending', 'sent', 'failed'] as const;
export const NOTICE_REMINDER_KIND = ['nonResponders', 'morning'] as const;

export type { CardUpdate };
export type NoticeAudienceValue = NoticeAudience;

export type InboxStatusValue = (typeof INBOX_STATUS)[number];
export type OutboxStatusValue = (typeof OUTBOX_STATUS)[number];
export type MemberRoleValue = (typeof MEMBER_ROLE)[number];
export type ProposalStatusValue = (typeof PROPOSAL_STATUS)[number];
export type CosignerStatusValue = (typeof COSIGNER_STATUS)[number];

export interface InboxRow {
  id: number;
  dedupKey: string;
  userId: string;
  kind: string;
  encrypted: string;
  receivedAt: Date;
  status: InboxStatusValue;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  /** When a commit finished the item (done, or dead through Change 'inbox.dead'). */
  doneAt: Date | null;
}

export interface NewInboxRow {
  id?: number;
  dedupKey: string;
  userId: string;
  kind: string;
  encrypted: string;
  receivedAt: Date;
  status: InboxStatusValue;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string | null;
  doneAt?: Date | null;
}

export type NoticeStatusValue = (typeof NOTICE_STATUS)[number];
export type NoticeAnswerValue = (typeof NOTICE_ANSWER)[number];
export type NoticeDeliveryValue = (typeof NOTICE_DELIVERY)[number];
export type NoticeReminderKindValue = (typeof NOTICE_REMINDER_KIND)[number];

export interface OutboxRow {
  id: number;
  dedupKey: string;
  toUser: string;
  message: OutboundMessage;
  status: OutboxStatusValue;
  attempts: number;
  nextAttemptAt: Date;
  lastErrcode: number | null;
  lastError: string | null;
  wecomMsgId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  recipients: string[] | null;
  noticeId: number | null;
  cardUpdate: CardUpdate | null;
}

export interface NewOutboxRow {
  id?: number;
  dedupKey: string;
  toUser: string;
  message: OutboundMessage;
  status: OutboxStatusValue;
  attempts: number;
  nextAttemptAt: Date;
  lastErrcode?: number | null;
  lastError?: string | null;
  wecomMsgId?: string | null;
  createdAt?: Date;
  sentAt?: Date | null;
  recipients?: string[] | null;
  noticeId?: number | null;
  cardUpdate?: CardUpdate | null;
}

export interface MemberRow {
  userId: string;
  name: string;
  role: MemberRoleValue;
  sector: string | null;
  committee: string | null;
  mobile: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewMemberRow {
  userId: string;
  name: string;
  role: MemberRoleValue;
  sector?: string | null;
  committee?: string | null;
  mobile?: string | null;
  active: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ConversationRow {
  userId: string;
  data: unknown;
  updatedAt: Date;
}

export interface NewConversationRow {
  userId: string;
  data: unknown;
  updatedAt?: Date;
}

export interface DraftRow {
  id: string;
  userId: string;
  flowId: string;
  title: string | null;
  data: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDraftRow {
  id: string;
  userId: string;
  flowId: string;
  title?: string | null;
  data: unknown;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ProposalRow {
  id: number;
  submitKey: string;
  year: number;
  seq: number;
  number: string;
  ownerId: string;
  title: string;
  category: string | null;
  subcategory: string | null;
  reason: string;
  suggestions: string;
  handlingUnits: string[];
  isPublic: boolean;
  privateReason: string | null;
  status: ProposalStatusValue;
  submittedAt: Date;
  updatedAt: Date;
}

export interface NewProposalRow {
  id?: number;
  submitKey: string;
  year: number;
  seq: number;
  number: string;
  ownerId: string;
  title: string;
  category?: string | null;
  subcategory?: string | null;
  reason: string;
  suggestions: string;
  handlingUnits: string[];
  isPublic: boolean;
  privateReason?: string | null;
  status: ProposalStatusValue;
  submittedAt: Date;
  updatedAt?: Date;
}

export interface ProposalEventRow {
  id: number;
  proposalId: number;
  status: ProposalStatusValue;
  note: string | null;
  at: Date;
}

export interface NewProposalEventRow {
  id?: number;
  proposalId: number;
  status: ProposalStatusValue;
  note?: string | null;
  at: Date;
}

export interface CosignerRow {
  proposalId: number;
  userId: string;
  status: CosignerStatusValue;
  respondedAt: Date | null;
}

export interface NewCosignerRow {
  proposalId: number;
  userId: string;
  status: CosignerStatusValue;
  respondedAt?: Date | null;
}

export interface NoticeRow {
  id: number;
  createKey: string;
  title: string;
  kind: string;
  startsAt: Date;
  place: string;
  content: string;
  audience: NoticeAudienceValue;
  replyBy: Date;
  leaveNeedsReason: boolean;
  createdBy: string;
  status: NoticeStatusValue;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NewNoticeRow {
  id?: number;
  createKey: string;
  title: string;
  kind: string;
  startsAt: Date;
  place: string;
  content: string;
  audience: NoticeAudienceValue;
  replyBy: Date;
  leaveNeedsReason: boolean;
  createdBy: string;
  status: NoticeStatusValue;
  createdAt: Date;
  sentAt?: Date | null;
}

export interface NoticeRecipientRow {
  noticeId: number;
  userId: string;
  name: string;
  answer: NoticeAnswerValue | null;
  reason: string | null;
  answeredAt: Date | null;
  delivery: NoticeDeliveryValue;
  deliveryError: string | null;
  deliveredAt: Date | null;
}

export interface NewNoticeRecipientRow {
  noticeId: number;
  userId: string;
  name: string;
  answer?: NoticeAnswerValue | null;
  reason?: string | null;
  answeredAt?: Date | null;
  delivery: NoticeDeliveryValue;
  deliveryError?: string | null;
  deliveredAt?: Date | null;
}

export interface NoticeReminderRow {
  id: number;
  noticeId: number;
  kind: NoticeReminderKindValue;
  dueAt: Date;
  leaseUntil: Date | null;
  doneAt: Date | null;
}

export interface NewNoticeReminderRow {
  id?: number;
  noticeId: number;
  kind: NoticeReminderKindValue;
  dueAt: Date;
  leaseUntil?: Date | null;
  doneAt?: Date | null;
}

// ---- drift guard -------------------------------------------------------------------------------------------
// Eq is the strict (invariant) equality: `A extends B` both ways would accept `any` and some optional/required
// mismatches, the function-type trick does not.
type Eq<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type DriftGuard = [
  Assert<Eq<typeof my.inbox.$inferSelect, InboxRow>>,
  Assert<Eq<typeof lite.inbox.$inferSelect, InboxRow>>,
  Assert<Eq<typeof my.inbox.$inferInsert, NewInboxRow>>,
  Assert<Eq<typeof lite.inbox.$inferInsert, NewInboxRow>>,
  Assert<Eq<typeof my.outbox.$inferSelect, OutboxRow>>,
  Assert<Eq<typeof lite.outbox.$inferSelect, OutboxRow>>,
  Assert<Eq<typeof my.outbox.$inferInsert, NewOutboxRow>>,
  Assert<Eq<typeof lite.outbox.$inferInsert, NewOutboxRow>>,
  Assert<Eq<typeof my.members.$inferSelect, MemberRow>>,
  Assert<Eq<typeof lite.members.$inferSelect, MemberRow>>,
  Assert<Eq<typeof my.members.$inferInsert, NewMemberRow>>,
  Assert<Eq<typeof lite.members.$inferInsert, NewMemberRow>>,
  Assert<Eq<typeof my.conversations.$inferSelect, ConversationRow>>,
  Assert<Eq<typeof lite.conversations.$inferSelect, ConversationRow>>,
  Assert<Eq<typeof my.conversations.$inferInsert, NewConversationRow>>,
  Assert<Eq<typeof lite.conversations.$inferInsert, NewConversationRow>>,
  Assert<Eq<typeof my.drafts.$inferSelect, DraftRow>>,
  Assert<Eq<typeof lite.drafts.$inferSelect, DraftRow>>,
  Assert<Eq<typeof my.drafts.$inferInsert, NewDraftRow>>,
  Assert<Eq<typeof lite.drafts.$inferInsert, NewDraftRow>>,
  Assert<Eq<typeof my.proposals.$inferSelect, ProposalRow>>,
  Assert<Eq<typeof lite.proposals.$inferSelect, ProposalRow>>,
  Assert<Eq<typeof my.proposals.$inferInsert, NewProposalRow>>,
  Assert<Eq<typeof lite.proposals.$inferInsert, NewProposalRow>>,
  Assert<Eq<typeof my.proposalEvents.$inferSelect, ProposalEventRow>>,
  Assert<Eq<typeof lite.proposalEvents.$inferSelect, ProposalEventRow>>,
  Assert<Eq<typeof my.proposalEvents.$inferInsert, NewProposalEventRow>>,
  Assert<Eq<typeof lite.proposalEvents.$inferInsert, NewProposalEventRow>>,
  Assert<Eq<typeof my.cosigners.$inferSelect, CosignerRow>>,
  Assert<Eq<typeof lite.cosigners.$inferSelect, CosignerRow>>,
  Assert<Eq<typeof my.cosigners.$inferInsert, NewCosignerRow>>,
  Assert<Eq<typeof lite.cosigners.$inferInsert, NewCosignerRow>>,
  Assert<Eq<typeof my.notices.$inferSelect, NoticeRow>>,
  Assert<Eq<typeof lite.notices.$inferSelect, NoticeRow>>,
  Assert<Eq<typeof my.notices.$inferInsert, NewNoticeRow>>,
  Assert<Eq<typeof lite.notices.$inferInsert, NewNoticeRow>>,
  Assert<Eq<typeof my.noticeRecipients.$inferSelect, NoticeRecipientRow>>,
  Assert<Eq<typeof lite.noticeRecipients.$inferSelect, NoticeRecipientRow>>,
  Assert<Eq<typeof my.noticeRecipients.$inferInsert, NewNoticeRecipientRow>>,
  Assert<Eq<typeof lite.noticeRecipients.$inferInsert, NewNoticeRecipientRow>>,
  Assert<Eq<typeof my.noticeReminders.$inferSelect, NoticeReminderRow>>,
  Assert<Eq<typeof lite.noticeReminders.$inferSelect, NoticeReminderRow>>,
  Assert<Eq<typeof my.noticeReminders.$inferInsert, NewNoticeReminderRow>>,
  Assert<Eq<typeof lite.noticeReminders.$inferInsert, NewNoticeReminderRow>>,
  Assert<Eq<NoticeStatusValue, NoticeStatus>>,
  Assert<Eq<NoticeAnswerValue, NoticeAnswer>>,
  Assert<Eq<NoticeDeliveryValue, NoticeDelivery>>,
  Assert<Eq<NoticeReminderKindValue, NoticeReminderKind>>,
  // The enums are the port's: a status added on one side only fails here.
  Assert<Eq<ProposalStatusValue, ProposalStatus>>,
  Assert<Eq<CosignerStatusValue, CosignerStatus>>,
];
