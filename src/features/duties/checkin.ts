import { createHash } from 'node:crypto';
import type { InboundRoute, RouteContext, RouteResult } from '../../core/feature.js';
import type { Change } from '../../core/ports.js';
import { normalizeText } from '../../flows/index.js';
import { shanghaiDay } from '../../shared/chinaTime.js';
import { noticeStore, parseNoticeCheckinKey } from '../notices/index.js';
import { dutyStore } from './dutyStore.js';

/**
 * The 签到 code of a meeting: four digits staff show in the room (GET /admin/api/duties/checkin-code/:noticeId),
 * derived from the notice, so nothing needs storing. It proves presence only as well as a code read aloud can.
 */
export function checkinCode(noticeId: number, startsAt: Date): string {
  const h = createHash('sha256').update(`checkin:${noticeId}:${startsAt.toISOString()}`).digest();
  return String(h.readUInt32BE(0) % 10_000).padStart(4, '0');
}

const CHECKIN = /^签到\s*[:：]?\s*(\d{4})?$/u;

function present(noticeId: number, userId: string, at: Date): Change {
  return {
    type: 'duty.attendance',
    attendance: { noticeId, userId, status: 'present', source: 'checkin', by: userId, at },
  };
}

/** The reply to a tap on the card, keyed by the inbox item; the tapped button then reads 已签到. */
function tapReply(ctx: RouteContext, content: string, responseCode: string, label: string | null): Change {
  return {
    type: 'outbox.add',
    at: ctx.now,
    message: {
      dedupKey: `reply:${ctx.inboxId}:checkin`,
      toUser: ctx.actor.id,
      message: { msgtype: 'text', text: { content } },
      ...(label !== null && responseCode !== '' ? { cardUpdate: { responseCode, replaceName: label } } : {}),
    },
  };
}

/**
 * A tap on 签到 of the meeting-day card (sent in the morning to those who answered 参加): on the meeting's day, a
 * recipient of the notice is recorded 出席. Another day, or someone the notice was not for, is told why.
 */
async function checkinTap(noticeId: number, responseCode: string, ctx: RouteContext): Promise<RouteResult> {
  const member = ctx.actor.member;
  const notices = noticeStore(ctx.db);
  const notice = await notices.get(noticeId);
  const mine = member && notice ? await notices.recipient(noticeId, member.userId) : null;
  if (!member || !notice || !mine)
    return { changes: [tapReply(ctx, '这次会议的签到不是发给您的，无需签到。', responseCode, null)] };
  const day = shanghaiDay(notice.startsAt);
  if (day !== shanghaiDay(ctx.now))
    return {
      changes: [
        tapReply(
          ctx,
          day > shanghaiDay(ctx.now)
            ? `《${notice.title}》还没到会议当天，请在会议当天到达会场后签到。`
            : `《${notice.title}》已经结束，不能再签到；如实际出席，请联系会务工作人员登记。`,
          responseCode,
          null,
        ),
      ],
    };
  const already = (await dutyStore(ctx.db).attendanceAt(noticeId)).get(member.userId);
  if (already?.status === 'present')
    return { changes: [tapReply(ctx, `您已签到：《${notice.title}》。`, responseCode, '已签到')] };
  return {
    changes: [
      present(notice.id, member.userId, ctx.now),
      tapReply(ctx, `签到成功：《${notice.title}》，已记入您的履职档案。`, responseCode, '已签到'),
    ],
  };
}

/**
 * 「签到 1234」 on the meeting day (the code names the meeting), or a tap on 签到 of the meeting-day card: the
 * member's 出席 is recorded.
 */
export const checkinRoute: InboundRoute = {
  name: 'duties.checkin',
  phrases: ['签到'],
  examples: { 签到: ['我来签到', '会议签到', '我到了签个到'] },
  interruptsFlow: true,
  async handle(input, ctx) {
    if (input.type === 'cardTap') {
      const noticeId = parseNoticeCheckinKey(input.eventKey);
      return noticeId === null ? null : checkinTap(noticeId, input.responseCode, ctx);
    }
    if (input.type !== 'text' || !ctx.actor.member) return null;
    const m = CHECKIN.exec(normalizeText(input.text));
    if (!m) return null;
    const today = (await noticeStore(ctx.db).listForMember(ctx.actor.member.userId, 50)).filter(
      (n) => shanghaiDay(n.startsAt) === shanghaiDay(ctx.now),
    );
    if (today.length === 0) return { changes: [], replies: ['今天没有您需要参加的会议，无需签到。'] };
    const code = m[1];
    if (!code)
      return {
        changes: [],
        replies: [
          '请输入会场出示的 4 位签到码（或点会议当天早上收到的签到卡片上的「签到」），例如「签到 1234」。',
        ],
      };
    const notice = today.find((n) => checkinCode(n.id, n.startsAt) === code);
    if (!notice) return { changes: [], replies: ['签到码不对，请核对会场出示的签到码后再试。'] };
    return {
      changes: [present(notice.id, ctx.actor.member.userId, ctx.now)],
      replies: [`签到成功：《${notice.title}》。`],
    };
  },
};
