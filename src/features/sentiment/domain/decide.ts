/**
 * The 社情民意 state machine: what a review action does to a report in a given state, and who may take it. Pure:
 * the admin API and the staff flows both ask it, so the same request gets the same answer (and the same Chinese
 * reason when refused) in chat and over HTTP.
 */
import {
  ADOPTION_LEVELS,
  LEVEL_BODY,
  levelRank,
  SENTIMENT_STATE_LABELS,
  type AdoptionLevel,
  type AdoptionMode,
  type ReviewAction,
  type SentimentSource,
  type SentimentState,
} from './states.js';

export type ActorRole = 'staff' | 'member' | 'citizen';

export type ReviewRequest =
  | { action: 'adopt'; level: AdoptionLevel; mode: AdoptionMode }
  | { action: 'keep'; note?: string }
  | { action: 'return'; reason: string }
  | { action: 'instruct'; by: string; text: string }
  | { action: 'report_up'; level: AdoptionLevel }
  | { action: 'forward'; unit: string; dueDate: string }
  | { action: 'forward_result'; text: string };

/** What the machine needs to know of a report. */
export interface ReportFacts {
  state: SentimentState;
  source: SentimentSource;
  /** Highest level it was adopted or reported at (null before adoption). */
  level: AdoptionLevel | null;
}

export type Decision =
  | {
      ok: true;
      next: SentimentState;
      /** The level the report reaches (adopt, report_up), else unchanged. */
      level: AdoptionLevel | null;
      /** One line for the timeline and the reporter's notice. */
      summary: string;
    }
  | { ok: false; code: 'forbidden' | 'conflict'; reason: string };

const REVIEWED: readonly SentimentState[] = ['adopted', 'reported', 'forwarded', 'handled'];

/** Decides `request` on `report` for an actor of `role`. Never throws. */
export function decide(report: ReportFacts, request: ReviewRequest, role: ActorRole): Decision {
  if (role !== 'staff')
    return { ok: false, code: 'forbidden', reason: '只有政协办公室工作人员可以审核社情民意。' };
  const stateLabel = SENTIMENT_STATE_LABELS[report.state];
  const refuse = (reason: string): Decision => ({ ok: false, code: 'conflict', reason });
  switch (request.action) {
    case 'adopt':
      if (report.state !== 'pending')
        return refuse(`该信息当前为「${stateLabel}」，只有待审核的信息可以采用。`);
      return {
        ok: true,
        next: 'adopted',
        level: request.level,
        summary: `${request.level}级${request.mode}采用`,
      };
    case 'keep':
      if (report.state !== 'pending')
        return refuse(`该信息当前为「${stateLabel}」，只有待审核的信息可以留存。`);
      return { ok: true, next: 'kept', level: report.level, summary: '留存（未采用）' };
    case 'return':
      if (report.state !== 'pending')
        return refuse(`该信息当前为「${stateLabel}」，只有待审核的信息可以退回修改。`);
      if (report.source === 'citizen') return refuse('群众留言无法退回修改，可以留存或采用。');
      return { ok: true, next: 'returned', level: report.level, summary: `退回修改：${request.reason}` };
    case 'instruct':
      if (!REVIEWED.includes(report.state))
        return refuse(`该信息当前为「${stateLabel}」，采用后才能登记领导批示。`);
      return {
        ok: true,
        next: report.state,
        level: report.level,
        summary: `领导批示（${request.by}）：${request.text}`,
      };
    case 'report_up': {
      if (!REVIEWED.includes(report.state)) return refuse(`该信息当前为「${stateLabel}」，采用后才能报送。`);
      const from = report.level ?? '县';
      if (levelRank(request.level) <= levelRank(from))
        return refuse(
          `该信息已在${from}级采用或报送，只能报送到更高一级（${higherThan(from).join('、') || '无'}）。`,
        );
      return {
        ok: true,
        next: report.state === 'adopted' ? 'reported' : report.state,
        level: request.level,
        summary: `报送${LEVEL_BODY[request.level]}`,
      };
    }
    case 'forward':
      if (report.state !== 'adopted' && report.state !== 'reported')
        return refuse(`该信息当前为「${stateLabel}」，采用或报送后才能转办（已转办的不能重复转办）。`);
      return {
        ok: true,
        next: 'forwarded',
        level: report.level,
        summary: `转办${request.unit}，要求 ${request.dueDate} 前办理`,
      };
    case 'forward_result':
      if (report.state !== 'forwarded')
        return refuse(`该信息当前为「${stateLabel}」，转办后才能登记办理结果。`);
      return { ok: true, next: 'handled', level: report.level, summary: `办理结果：${request.text}` };
  }
}

function higherThan(level: AdoptionLevel): AdoptionLevel[] {
  return ADOPTION_LEVELS.filter((l) => levelRank(l) > levelRank(level));
}

/** The actions that would be accepted now (for menus and the admin detail). */
export function allowedActions(report: ReportFacts): ReviewAction[] {
  const probes: ReviewRequest[] = [
    { action: 'adopt', level: '县', mode: '单篇' },
    { action: 'keep' },
    { action: 'return', reason: 'x' },
    { action: 'instruct', by: 'x', text: 'x' },
    { action: 'report_up', level: '全国' },
    { action: 'forward', unit: 'x', dueDate: 'x' },
    { action: 'forward_result', text: 'x' },
  ];
  return probes.filter((r) => decide(report, r, 'staff').ok).map((r) => r.action);
}
