import { parseNoticeButtonKey, type NoticeAnswer } from './domain/index.js';
import type { Change, Database, Member, OutboundMessage } from '../../core/ports.js';
import type { Notice } from './ports.js';
import { noticeTexts as texts } from './texts.js';
import { noticeStore } from './noticeStore.js';

/** A 回执: a tap on a notice card, or 参加 / 请假 typed as text. */
export type NoticeReply =
  { kind: 'tap'; eventKey: string; responseCode: string } | { kind: 'text'; answer: NoticeAnswer };

export interface NoticeResponse {
  changes: Change[];
  /** Set when a text reply was queued in `changes` (for callers that log or test it). */
  reply?: string;
  /** 请假 on a notice that needs a reason: the conversation should start the reason flow. */
  startFlow?: { flowId: 'notice_leave'; context: { noticeId: string } };
}

/** 参加 / 请假, also 回复参加 / 回复 请假 (what the card and the reminder tell members to send). */
const TEXT_ANSWER = /^(?:回复\s*)?[「“"]?(参加|请假)[」”"]?[。！!.]?$/;

export function parseTextAnswer(text: string): NoticeAnswer | null {
  const m = TEXT_ANSWER.exec(text.trim());
  if (!m) return null;
  return m[1] === '参加' ? 'attend' : 'leave';
}

/**
 * Records a member's answer to a notice. Idempotent: the same answer again changes nothing (a retried callback
 * is already absorbed by the inbox); a different one before the deadline replaces it; after the deadline it is
 * refused with whom to call. The tapped card is updated to show the choice (the outbox falls back to the text
 * when WeCom refuses the update). Returns null for a tap that is not a notice button, or a text answer from a
 * member with no notice — the caller treats those as ordinary messages.
 */
export async function respondToNotice(
  db: Database,
  args: { member: Member; reply: NoticeReply; now: Date; inboxId: number; officeContact: string },
): Promise<NoticeResponse | null> {
  const { member, reply, now } = args;
  const target = await findTarget(db, member, reply, now);
  if (!target) return null;
  const out = (content: string, cardLabel: string | null): NoticeResponse => ({
    changes: [message(args.inboxId, member.userId, content, reply, cardLabel, now)],
    reply: content,
  });
  if (target === 'gone') return out(texts.noticeGone(args.officeContact), null);
  const { notice, answer } = target;
  const me = await noticeStore(db).recipient(notice.id, member.userId);
  if (!me) return out(texts.notRecipient(args.officeContact), null);
  if (now.getTime() > notice.replyBy.getTime())
    // Text, not a card update: the refusal names whom to call, which a button label cannot hold.
    return out(texts.deadlinePassed(notice, args.officeContact), null);
  const reasonFlow: NonNullable<NoticeResponse['startFlow']> = {
    flowId: 'notice_leave',
    context: { noticeId: String(notice.id) },
  };
  if (me.answer === answer) {
    const same = out(texts.alreadyAnswered(notice, answer), texts.cardButton(answer));
    // 请假 recorded but its reason never given (the member left the reason flow): ask again.
    if (answer === 'leave' && notice.leaveNeedsReason && me.reason === null) same.startFlow = reasonFlow;
    return same;
  }

  const record: Change = {
    type: 'notice.answer',
    noticeId: notice.id,
    userId: member.userId,
    answer,
    reason: null,
    at: now,
  };
  const confirmation = texts.confirmed(notice, answer, me.answer !== null);
  const confirm = message(args.inboxId, member.userId, confirmation, reply, texts.cardButton(answer), now);
  const result: NoticeResponse = { changes: [record, confirm], reply: confirmation };
  if (answer === 'leave' && notice.leaveNeedsReason) result.startFlow = reasonFlow;
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
