import { parseNoticeButtonKey, type NoticeAnswer } from './domain/index.js';
import type { Change, Database, Member, OutboundMessage } from '../../core/ports.js';
import type { Notice } from './ports.js';
import { noticeTexts as texts } from './texts.js';
import { noticeStore } from './noticeStore.js';
import { leaveReason } from './textAnswer.js';

export { parseTextAnswer, type TextAnswer } from './textAnswer.js';

/** A 回执: a tap on a notice card, or 参加 / 请假 typed as text (for a given notice, or the latest one open). */
export type NoticeReply =
  | { kind: 'tap'; eventKey: string; responseCode: string }
  | {
      kind: 'text';
      answer: NoticeAnswer;
      /** The notice the text named (or the only one open); absent: the latest notice still open. */
      noticeId?: number;
      /** 请假 with its reason in the same message (「请假，那天出差」). */
      reason?: string;
    };

export interface NoticeResponse {
  changes: Change[];
  /** Set when a text reply was queued in `changes` (for callers that log or test it). */
  reply?: string;
  /** 请假 on a notice that needs a reason: the conversation should start the reason flow. */
  startFlow?: { flowId: 'notice_leave'; context: { noticeId: string } };
}

/** What an answer to one notice does: the writes, what the member is told, and whether a reason must follow. */
export interface AnswerDecision {
  changes: Change[];
  text: string;
  /** The card's button label after a tap; null when the text refuses (the card stays as it was). */
  cardLabel: string | null;
  /** 请假 recorded on a notice that needs a reason, and none given yet. */
  askReason: boolean;
}

/**
 * Decides a member's answer to `notice`. Idempotent: the same answer again changes nothing (a retried callback is
 * already absorbed by the inbox); a different one before the deadline replaces it; after the deadline it is
 * refused with whom to call. A reason given with 请假 is recorded with a guessed category, so the member is not
 * asked again.
 */
export async function decideAnswer(
  db: Database,
  args: {
    member: Member;
    notice: Notice;
    answer: NoticeAnswer;
    reason: string | null;
    now: Date;
    officeContact: string;
  },
): Promise<AnswerDecision> {
  const { member, notice, answer, now } = args;
  const refuse = (text: string): AnswerDecision => ({ changes: [], text, cardLabel: null, askReason: false });
  const me = await noticeStore(db).recipient(notice.id, member.userId);
  if (!me) return refuse(texts.notRecipient(args.officeContact));
  // Text, not a card update: the refusal names whom to call, which a button label cannot hold.
  if (now.getTime() > notice.replyBy.getTime())
    return refuse(texts.deadlinePassed(notice, args.officeContact));
  const reason = answer === 'leave' && args.reason ? leaveReason(args.reason) : null;
  const record = (): Change => ({
    type: 'notice.answer',
    noticeId: notice.id,
    userId: member.userId,
    answer,
    reason,
    at: now,
  });
  if (me.answer === answer) {
    if (reason !== null && reason !== me.reason)
      return {
        changes: [record()],
        text: texts.leaveRecorded(notice, reason),
        cardLabel: texts.cardButton(answer),
        askReason: false,
      };
    return {
      changes: [],
      text: texts.alreadyAnswered(notice, answer),
      cardLabel: texts.cardButton(answer),
      // 请假 recorded but its reason never given (the member left the reason flow): ask again.
      askReason: answer === 'leave' && notice.leaveNeedsReason && me.reason === null,
    };
  }
  const confirmation = texts.confirmed(notice, answer, me.answer !== null);
  return {
    changes: [record()],
    text: reason === null ? confirmation : `${confirmation}\n事由：${reason}`,
    cardLabel: texts.cardButton(answer),
    askReason: answer === 'leave' && notice.leaveNeedsReason && reason === null,
  };
}

/**
 * Records a member's answer (tap or text) and queues the reply; the tapped card is updated to show the choice (the
 * outbox falls back to the text when WeCom refuses the update). Returns null for a tap that is not a notice
 * button, or a text answer from a member with no notice — the caller treats those as ordinary messages.
 */
export async function respondToNotice(
  db: Database,
  args: { member: Member; reply: NoticeReply; now: Date; inboxId: number; officeContact: string },
): Promise<NoticeResponse | null> {
  const { member, reply, now } = args;
  const target = await findTarget(db, member, reply, now);
  if (!target) return null;
  if (target === 'gone') {
    const content = texts.noticeGone(args.officeContact);
    return { changes: [message(args.inboxId, member.userId, content, reply, null, now)], reply: content };
  }
  const { notice, answer } = target;
  const reason = reply.kind === 'text' ? (reply.reason ?? null) : null;
  const d = await decideAnswer(db, {
    member,
    notice,
    answer,
    reason,
    now,
    officeContact: args.officeContact,
  });
  const result: NoticeResponse = {
    changes: [...d.changes, message(args.inboxId, member.userId, d.text, reply, d.cardLabel, now)],
    reply: d.text,
  };
  if (d.askReason) result.startFlow = { flowId: 'notice_leave', context: { noticeId: String(notice.id) } };
  return result;
}

async function findTarget(
  db: Database,
  member: Member,
  reply: NoticeReply,
  now: Date,
): Promise<{ notice: Notice; answer: NoticeAnswer } | 'gone' | null> {
  if (reply.kind === 'tap') {
    const key = parseNoticeButtonKey(reply.eventKey);
    if (!key) return null;
    const notice = await noticeStore(db).get(key.noticeId);
    return notice ? { notice, answer: key.answer } : 'gone';
  }
  if (reply.noticeId !== undefined) {
    const notice = await noticeStore(db).get(reply.noticeId);
    return notice ? { notice, answer: reply.answer } : 'gone';
  }
  // A typed answer goes to the latest notice still open; with none open, to the latest one (→ deadline passed).
  const recent = await noticeStore(db).listForMember(member.userId, 10);
  const notice = recent.find((n) => n.replyBy.getTime() >= now.getTime()) ?? recent[0];
  return notice ? { notice, answer: reply.answer } : null;
}

function message(
  inboxId: number,
  userId: string,
  content: string,
  reply: NoticeReply,
  cardLabel: string | null,
  now: Date,
): Change {
  const text: OutboundMessage = { msgtype: 'text', text: { content } };
  const update =
    reply.kind === 'tap' && cardLabel !== null && reply.responseCode !== ''
      ? { cardUpdate: { responseCode: reply.responseCode, replaceName: cardLabel } }
      : {};
  return {
    type: 'outbox.add',
    at: now,
    message: { dedupKey: `reply:${inboxId}:notice`, toUser: userId, message: text, ...update },
  };
}
