import { createHash } from 'node:crypto';
import type { InboundRoute } from '../../core/feature.js';
import { normalizeText } from '../../flows/index.js';
import { shanghaiDay } from '../../shared/chinaTime.js';
import { noticeStore } from '../notices/index.js';

/**
 * The 签到 code of a meeting: four digits staff show in the room (GET /admin/api/duties/checkin-code/:noticeId),
 * derived from the notice, so nothing needs storing. It proves presence only as well as a code read aloud can.
 */
export function checkinCode(noticeId: number, startsAt: Date): string {
  const h = createHash('sha256').update(`checkin:${noticeId}:${startsAt.toISOString()}`).digest();
  return String(h.readUInt32BE(0) % 10_000).padStart(4, '0');
}

const CHECKIN = /^签到\s*[:：]?\s*(\d{4})?$/u;

/** 「签到 1234」 on the meeting day: the member's 出席 is recorded (the code names the meeting). */
export const checkinRoute: InboundRoute = {
  name: 'duties.checkin',
  phrases: ['签到'],
  examples: { 签到: ['我来签到', '会议签到', '我到了签个到'] },
  interruptsFlow: true,
  async handle(input, ctx) {
    if (input.type !== 'text' || !ctx.actor.member) return null;
    const m = CHECKIN.exec(normalizeText(input.text));
    if (!m) return null;
    const today = (await noticeStore(ctx.db).listForMember(ctx.actor.member.userId, 50)).filter(
      (n) => shanghaiDay(n.startsAt) === shanghaiDay(ctx.now),
    );
    if (today.length === 0) return { changes: [], replies: ['今天没有您需要参加的会议，无需签到。'] };
    const code = m[1];
    if (!code) return { changes: [], replies: ['请输入会场出示的 4 位签到码，例如「签到 1234」。'] };
    const notice = today.find((n) => checkinCode(n.id, n.startsAt) === code);
    if (!notice) return { changes: [], replies: ['签到码不对，请核对会场出示的签到码后再试。'] };
    return {
      changes: [
        {
          type: 'duty.attendance',
          attendance: {
            noticeId: notice.id,
            userId: ctx.actor.member.userId,
            status: 'present',
            source: 'checkin',
            by: ctx.actor.member.userId,
            at: ctx.now,
          },
        },
      ],
      replies: [`签到成功：《${notice.title}》。`],
    };
  },
};
