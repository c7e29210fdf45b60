/**
 * The two template cards the lifecycle sends a proposer: the evaluation (满意 / 基本满意 / 不满意) after a reply is
 * approved, and the 面商 question after 交办 + N working days. The buttons' keys come back as the tap's EventKey; the
 * chat route parses them with `parseLifecycleButtonKey` and calls the service.
 */
import type { Rating } from './lifecycle.js';

type Card = { card_type: string; task_id: string } & Record<string, unknown>;

const RATING_CODES: Readonly<Record<Rating, string>> = {
  满意: 'satisfied',
  基本满意: 'basic',
  不满意: 'unsatisfied',
};

export type LifecycleButton =
  | { kind: 'evaluate'; proposalId: number; round: number; rating: Rating }
  | { kind: 'meeting'; proposalId: number; held: boolean };

/** proposal:eval:<id>:<round>:<satisfied|basic|unsatisfied> */
export function evaluationButtonKey(proposalId: number, round: number, rating: Rating): string {
  return `proposal:eval:${proposalId}:${round}:${RATING_CODES[rating]}`;
}

/** proposal:meeting:<id>:<yes|no> */
export function meetingButtonKey(proposalId: number, held: boolean): string {
  return `proposal:meeting:${proposalId}:${held ? 'yes' : 'no'}`;
}

const EVAL_KEY = /^proposal:eval:(\d{1,9}):(\d{1,3}):(satisfied|basic|unsatisfied)$/;
const MEETING_KEY = /^proposal:meeting:(\d{1,9}):(yes|no)$/;

export function parseLifecycleButtonKey(key: string): LifecycleButton | null {
  const e = EVAL_KEY.exec(key.trim());
  if (e) {
    const rating = (Object.keys(RATING_CODES) as Rating[]).find((r) => RATING_CODES[r] === e[3]);
    if (rating === undefined) return null;
    return { kind: 'evaluate', proposalId: Number(e[1]), round: Number(e[2]), rating };
  }
  const m = MEETING_KEY.exec(key.trim());
  if (m) return { kind: 'meeting', proposalId: Number(m[1]), held: m[2] === 'yes' };
  return null;
}

export interface CardProposal {
  id: number;
  number: string;
  title: string;
}

/** task_id: unique per app, `[0-9a-zA-Z_-@]`, ≤128 bytes (doc 90236). */
export function evaluationTaskId(proposalId: number, round: number, userId: string): string {
  return `proposal_eval_${proposalId}_${round}_${userId}`.slice(0, 128);
}

export function meetingTaskId(proposalId: number, userId: string): string {
  return `proposal_meeting_${proposalId}_${userId}`.slice(0, 128);
}

/** 征询意见: the reply's class and gist, three buttons; comments follow as text. */
export function buildEvaluationCard(
  p: CardProposal,
  opts: {
    round: number;
    unit: string;
    resultLabel: string;
    replyText: string;
    dueDate: string;
    userId: string;
  },
): Card {
  return {
    card_type: 'button_interaction',
    source: { desc: '提案办理', desc_color: 1 },
    main_title: { title: `请评价提案答复：${p.number}`, desc: `《${p.title}》` },
    sub_title_text: opts.replyText.length > 120 ? `${opts.replyText.slice(0, 119)}…` : opts.replyText,
    horizontal_content_list: [
      { keyname: '承办单位', value: opts.unit },
      { keyname: '办理结果', value: opts.resultLabel },
      { keyname: '评价截止', value: opts.dueDate },
    ],
    task_id: evaluationTaskId(p.id, opts.round, opts.userId),
    button_list: [
      { text: '满意', style: 1, key: evaluationButtonKey(p.id, opts.round, '满意') },
      { text: '基本满意', style: 1, key: evaluationButtonKey(p.id, opts.round, '基本满意') },
      { text: '不满意', style: 2, key: evaluationButtonKey(p.id, opts.round, '不满意') },
    ],
  };
}

/** 「承办单位是否已与您面商？」 with 是 / 否. */
export function buildMeetingCard(p: CardProposal, opts: { units: string; userId: string }): Card {
  return {
    card_type: 'button_interaction',
    source: { desc: '提案办理', desc_color: 1 },
    main_title: { title: '承办单位是否已与您面商？', desc: `${p.number}《${p.title}》` },
    sub_title_text: `承办单位：${opts.units}。按规定，承办单位应在交办后与提案人面商办理意见。`,
    task_id: meetingTaskId(p.id, opts.userId),
    button_list: [
      { text: '是，已面商', style: 1, key: meetingButtonKey(p.id, true) },
      { text: '否，还没有', style: 2, key: meetingButtonKey(p.id, false) },
    ],
  };
}
