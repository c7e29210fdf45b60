/** The sentiment feature's types, store port and writes. */
import type {
  AdoptionLevel,
  AdoptionMode,
  SentimentAction,
  SentimentSource,
  SentimentState,
} from './domain/index.js';

export interface NewReport {
  /** Idempotency key of the submission: one report per key (a conversation, a converted proposal). */
  submitKey: string;
  year: number;
  /** Sequence within the year; (year, seq) is unique. */
  seq: number;
  /** Display number, e.g. 社情〔2026〕第007号. */
  number: string;
  source: SentimentSource;
  /**
   * Whose it is: a member's userid; for a citizen a pseudonym (`c:` + a hash of channel and id), never the raw
   * channel id.
   */
  reporterId: string;
  /** Members reporting jointly (联名反映人), userids. */
  jointIds: string[];
  /**
   * A citizen's raw channel id and channel, kept only to tell them the outcome; cleared once it is told.
   * Null for members (they are reached by userid).
   */
  replyTo: string | null;
  replyChannel: string | null;
  title: string;
  category: string | null;
  /** 基本情况 (a citizen's message). */
  situation: string;
  /** 分析 ('' for a citizen's clue). */
  analysis: string;
  /** 建议 ('' for a citizen's clue). */
  suggestions: string;
  /** A citizen's 乡镇/街道 and contact, only when they chose to give them. */
  town: string | null;
  contact: string | null;
  /** The 不予立案 proposal it was converted from. */
  proposalId: number | null;
}

export interface Report extends NewReport {
  id: number;
  state: SentimentState;
  /** Highest level adopted or reported at. */
  level: AdoptionLevel | null;
  adoptionMode: AdoptionMode | null;
  forwardUnit: string | null;
  forwardDue: string | null;
  instructions: number;
  /** When the citizen last wrote to us (their reply window); null for members. */
  lastSeenAt: Date | null;
  submittedAt: Date;
  updatedAt: Date;
}

/** Whether the reporter has been told of an event: not needed, queued in the outbox, waiting for the citizen. */
export const TELL_STATUSES = ['none', 'queued', 'waiting'] as const;
export type TellStatus = (typeof TELL_STATUSES)[number];

export interface ReportEvent {
  reportId: number;
  /** 1 for the submission, then one per action; (reportId, seq) is unique, so two racing actions cannot both land. */
  seq: number;
  action: SentimentAction;
  /** The state after the event. */
  state: SentimentState;
  actorId: string;
  summary: string;
  detail: Record<string, string>;
  tell: TellStatus;
  at: Date;
}

export interface ReportFilter {
  state?: SentimentState;
  source?: SentimentSource;
  year?: number;
}

export interface SentimentStore {
  get(id: number): Promise<Report | null>;
  getBySubmitKey(submitKey: string): Promise<Report | null>;
  /** Reports the member reported or joined, newest first. */
  listForReporter(reporterId: string): Promise<Report[]>;
  /** Every report matching the filter, oldest first. */
  list(filter: ReportFilter): Promise<Report[]>;
  maxSeq(year: number): Promise<number>;
  events(reportId: number): Promise<ReportEvent[]>;
  /** Events of the citizen's reports still waiting to be told (outside their reply window). */
  waitingFor(reporterId: string): Promise<{ report: Report; event: ReportEvent }[]>;
}

export interface ReportUpdate {
  state: SentimentState;
  level: AdoptionLevel | null;
  adoptionMode?: AdoptionMode;
  forwardUnit?: string;
  forwardDue?: string;
  /** Added to the 批示 count. */
  instructionsDelta: number;
  /** Forget the citizen's raw channel id (the outcome was told). */
  clearReplyTo: boolean;
}

/** The sentiment feature's writes (applied by ./changes.ts, both dialects). */
export type SentimentChange =
  /** Inserts the report as 'pending' with its 'submit' event; a second insert with the same submitKey is a no-op. */
  | { type: 'sentiment.submit'; report: NewReport; actorId: string; at: Date }
  /**
   * Moves the report from `expected` and appends the event. When the report is no longer in `expected` or the
   * event's seq is taken (another action won the race), the whole commit fails: nothing is half done.
   */
  | {
      type: 'sentiment.act';
      reportId: number;
      expected: SentimentState;
      update: ReportUpdate;
      event: Omit<ReportEvent, 'reportId' | 'at'>;
      at: Date;
    }
  /** The waiting events were told (queued now that the citizen wrote again); records when they last wrote. */
  | { type: 'sentiment.told'; reportId: number; seqs: number[]; clearReplyTo: boolean; at: Date }
  /** A citizen wrote to us: their reply window starts again. */
  | { type: 'sentiment.seen'; reporterId: string; at: Date };

export class SentimentRaceError extends Error {
  constructor(reportId: number) {
    super(`sentiment report ${reportId} changed meanwhile`);
    this.name = 'SentimentRaceError';
  }
}
