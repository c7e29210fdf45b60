import type { Actor } from '../../core/actor.js';
import type { Database } from '../../core/ports.js';
import { noticeStore } from './noticeStore.js';

/** How many recent notices are looked at: older ones are past their reply deadline anyway. */
const RECENT = 10;

/** Notices addressed to the member, still open for replies, that they have not answered. */
export async function pendingNotices(actor: Actor, db: Database, now: Date): Promise<string[]> {
  if (!actor.member) return [];
  const store = noticeStore(db);
  const lines: string[] = [];
  for (const n of await store.listForMember(actor.member.userId, RECENT)) {
    if (n.replyBy.getTime() < now.getTime()) continue;
    const me = await store.recipient(n.id, actor.member.userId);
    if (!me || me.answer !== null) continue;
    lines.push(`会议通知《${n.title}》（${chinaDate(n.startsAt)}）尚未回复：可回复「参加」或「请假」`);
  }
  return lines;
}

/** 12月3日 14:30 in China time. */
function chinaDate(d: Date): string {
  const c = new Date(d.getTime() + 8 * 3600_000);
  const hh = String(c.getUTCHours()).padStart(2, '0');
  const mm = String(c.getUTCMinutes()).padStart(2, '0');
  return `${c.getUTCMonth() + 1}月${c.getUTCDate()}日 ${hh}:${mm}`;
}
