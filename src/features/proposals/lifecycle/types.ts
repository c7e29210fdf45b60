/**
 * The proposal lifecycle service's public shapes: what the admin API, the chat half and the deadline poller call.
 * Stable names; see README (提案办理).
 */
import type { Change, Database, NewOutboxMessage } from '../../../core/ports.js';
import type {
  AssignmentState,
  LifecycleAction,
  LifecycleCommand,
  LifecycleRole,
  Rating,
  ResultClass,
  UnitRole,
} from '../domain/lifecycle.js';
import type { ProposalStatus } from '../domain/status.js';

/** Time limits and rules (config `proposals.*`, .env.example PROPOSAL_*). Working days are Chinese working days. */
export interface LifecycleSettings {
  /** 面商 within N working days after 交办; the proposer is asked 「承办单位是否已与您面商？」 then. */
  meetingWorkingDays: number;
  /** Reply due N months after 交办 (and again after 重新办理), unless 交办 gives a dueDate. */
  replyMonths: number;
  /** The proposer evaluates within N working days after the reply is approved. */
  evaluationWorkingDays: number;
  /** A unit may 申请退回 within N working days after 交办. */
  returnWorkingDays: number;
  /** Units are reminded N working days before each of their deadlines. */
  remindWorkingDaysBefore: number;
  /** 跟踪问效: staff are reminded N months after a B/C-class reply was approved. */
  followUpMonths: number;
  /** No evaluation by the deadline: 'deemed_satisfied' closes it (视为满意); 'staff_follow_up' tells staff. */
  noEvaluationRule: 'deemed_satisfied' | 'staff_follow_up';
  /** The 承办单位 staff may assign (flows/units.yaml). */
  units: readonly string[];
}

/** A person acting on a proposal. */
export interface LifecycleRequest {
  proposalId: number;
  /** The WeCom userid of the person acting (staff, unit contact, member). `system` for the poller. */
  actorId: string;
  command: LifecycleCommand;
  /**
   * 代录: a staff member acting for a unit that has no contact in WeCom. The unit name; the timeline records both.
   */
  onBehalfOfUnit?: string;
}

/** One line of a proposal's timeline. */
export interface TimelineEvent {
  id: number;
  proposalId: number;
  /** A lifecycle action, or 'submitted' / 'meeting_check' (the 面商 question was asked) / 'reminder'. */
  kind: LifecycleAction | 'submitted' | 'meeting_check' | 'reminder';
  /** Chinese label of the kind. */
  label: string;
  /** Who: a userid, or 'system'. */
  actorId: string;
  actorRole: LifecycleRole | null;
  /** The unit the actor acted for (unit contacts and 代录). */
  unit: string | null;
  /** True when staff recorded it for a unit without a contact (代录). */
  onBehalf: boolean;
  fromStatus: ProposalStatus | null;
  toStatus: ProposalStatus;
  note: string | null;
  /** The command's arguments as given (ground, rating, resultClass, …). */
  details: Record<string, unknown>;
  at: Date;
}

export interface AssignmentView {
  unit: string;
  role: UnitRole;
  roleLabel: string;
  state: AssignmentState;
  stateLabel: string;
  assignedAt: Date;
  /** Shanghai dates YYYY-MM-DD. */
  meetingDue: string | null;
  returnBy: string | null;
  replyDue: string | null;
  signedAt: Date | null;
  /** userids of the unit's active contacts; empty → staff work it on its behalf (代录). */
  contacts: string[];
}

export interface MeetingRecord {
  unit: string;
  date: string;
  way: string;
  participants: string;
  note: string | null;
  /** 'unit' recorded by the unit (or 代录), 'member' the proposer's answer to 「是否已与您面商」. */
  source: 'unit' | 'member';
  /** For source 'member': the answer. */
  held: boolean | null;
  at: Date;
}

export interface ReplyRecord {
  round: number;
  unit: string;
  resultClass: ResultClass;
  text: string;
  /** 'pending' until staff 审核; 'approved' / 'rejected'. */
  review: 'pending' | 'approved' | 'rejected';
  reviewNote: string | null;
  at: Date;
}

export interface EvaluationRecord {
  round: number;
  rating: Rating | '视为满意';
  comment: string | null;
  at: Date;
}

/** Everything about one proposal (GET /admin/api/proposals/{id}, 查提案 N). */
export interface ProposalView {
  id: number;
  number: string;
  year: number;
  seq: number;
  title: string;
  ownerId: string;
  ownerName: string;
  category: string | null;
  status: ProposalStatus;
  statusLabel: string;
  /** What happens next, in member words. */
  nextStep: string;
  keyProposal: boolean;
  /** 评为优秀提案 (staff, once answered). */
  excellent: boolean;
  mergedInto: number | null;
  rehandlingRound: number;
  suggestedUnits: string[];
  assignments: AssignmentView[];
  /** The next deadline of the live step (reply due, evaluation due …), Shanghai date, or null. */
  dueDate: string | null;
  overdue: boolean;
  cosigners: { userId: string; name: string; status: string }[];
  meetings: MeetingRecord[];
  replies: ReplyRecord[];
  evaluations: EvaluationRecord[];
  timeline: TimelineEvent[];
  submittedAt: Date;
  updatedAt: Date;
}

export type ActResult =
  | {
      ok: true;
      action: LifecycleAction;
      from: ProposalStatus;
      to: ProposalStatus;
      /** The proposal after the action. */
      proposal: ProposalView;
      /** Outbox messages queued (each once: keyed by proposal, version and recipient). */
      notifications: NewOutboxMessage[];
      /** 转社情民意: the number of the 社情民意 report it made. */
      sentimentNumber?: string;
    }
  | {
      ok: false;
      /** 400 bad arguments, 403 wrong role, 404 no such proposal, 409 wrong state. */
      status: 400 | 403 | 404 | 409;
      /** Chinese, for the person: who can do it and in which state. */
      reason: string;
    };

/** The writes of an action, for callers that commit them with something else (a chat effect, a route). */
export type PlanResult =
  | {
      ok: true;
      action: LifecycleAction;
      from: ProposalStatus;
      to: ProposalStatus;
      changes: Change[];
      notifications: NewOutboxMessage[];
      /** 转社情民意: the number of the 社情民意 report it makes. */
      sentimentNumber?: string;
    }
  | Extract<ActResult, { ok: false }>;

export interface ProposalListFilter {
  status?: ProposalStatus;
  category?: string;
  unit?: string;
  year?: number;
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

export interface ProposalListItem {
  id: number;
  number: string;
  title: string;
  ownerId: string;
  category: string | null;
  status: ProposalStatus;
  statusLabel: string;
  keyProposal: boolean;
  hostUnit: string | null;
  coUnits: string[];
  dueDate: string | null;
  overdue: boolean;
  submittedAt: Date;
}

/** 提案统计 (staff). Rates are fractions 0–1, null when the denominator is 0. */
export interface ProposalStatistics {
  year: number;
  total: number;
  byStatus: Record<ProposalStatus, number>;
  /** 立案率: registered (立案 or later) / decided (立案 + 不予立案 + 并案 + 转). */
  registrationRate: number | null;
  /** 按期办复率: replies approved by their due date / replies approved. */
  onTimeReplyRate: number | null;
  /** 满意率: (满意 + 基本满意) / evaluations, last round per proposal. */
  satisfactionRate: number | null;
  byCategory: { category: string; total: number; registered: number; closed: number }[];
  byUnit: {
    unit: string;
    host: number;
    co: number;
    replied: number;
    onTime: number;
    overdue: number;
    satisfied: number;
  }[];
}

/** 我的待办 of a unit contact (or staff, for their queue). */
export interface TodoItem {
  proposalId: number;
  number: string;
  title: string;
  unit: string | null;
  /** What is waiting, in Chinese: 待签收 / 待面商 / 待提交会办意见 / 待答复 / 待审查 / 待审核答复 … */
  what: string;
  dueDate: string | null;
  overdue: boolean;
}

/** The service (createLifecycleService in ./service.ts). */
export interface LifecycleService {
  readonly settings: LifecycleSettings;
  /** Decides and returns the writes without committing (chat effects return them with the turn). */
  plan(db: Database, now: Date, request: LifecycleRequest): Promise<PlanResult>;
  /** Decides, commits, and returns the proposal after it; a refusal changes nothing. */
  act(db: Database, now: Date, request: LifecycleRequest): Promise<ActResult>;
  view(db: Database, now: Date, proposalId: number): Promise<ProposalView | null>;
  list(
    db: Database,
    now: Date,
    filter: ProposalListFilter,
  ): Promise<{ items: ProposalListItem[]; total: number; page: number; pageSize: number }>;
  statistics(db: Database, now: Date, year: number): Promise<ProposalStatistics>;
  /** What waits on this person: unit contacts their unit's steps, staff the office queue. */
  todo(db: Database, now: Date, userId: string): Promise<TodoItem[]>;
}
