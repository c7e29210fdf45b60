/** Consultation notices: the pure vocabulary shared by the app, the store and the flows. */

/** 协商 forms a notice may announce. */
export const NOTICE_KINDS = [
  '专题协商会',
  '对口协商',
  '界别协商',
  '提案办理协商',
  '常委会议',
  '其他',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A member's 回执: 参加 or 请假 (no answer yet = null). */
export type NoticeAnswer = 'attend' | 'leave';

export const ANSWER_LABELS: Record<NoticeAnswer, string> = { attend: '参加', leave: '请假' };

/** Who a notice goes to; the parts add up (a member matched twice receives it once). */
export interface NoticeAudience {
  /** Every active 委员 (role member). */
  all: boolean;
  /** 界别 names: active 委员 of these sectors. */
  sectors: string[];
  /** 专委会 names: active 委员 of these committees. */
  committees: string[];
  /** Explicit userids (委员 or staff), active ones only. */
  userIds: string[];
}

/** What staff write; validated by `validateNoticeInput`. */
export interface NoticeDraft {
  title: string;
  kind: NoticeKind;
  startsAt: Date;
  place: string;
  content: string;
  audience: NoticeAudience;
  replyBy: Date;
  leaveNeedsReason: boolean;
}

/** A member as audience resolution sees one. */
export interface AudienceCandidate {
  userId: string;
  name: string;
  role: 'member' | 'staff' | 'unit' | 'supervisor';
  sector: string | null;
  committee: string | null;
  active: boolean;
}

export interface NoticeProblem {
  /** The input field (API body name), e.g. `startsAt`, `audience.sectors`. */
  field: string;
  /** Chinese, for staff. */
  message: string;
}
