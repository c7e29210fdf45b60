import type { Database } from '../../core/ports.js';
import type { NoticeAnswer } from './domain/index.js';
import type { Notice } from './ports.js';
import { noticeStore } from './noticeStore.js';

export interface OpenNotice {
  notice: Notice;
  /** The member's answer so far. */
  answer: NoticeAnswer | null;
}

/** How many recent notices a typed answer may reach; older ones are long closed. */
const RECENT = 20;

/** The notices a member may still answer (reply-by not passed), most recently sent first, with their answers. */
export async function openNoticesFor(db: Database, userId: string, now: Date): Promise<OpenNotice[]> {
  const recent = await noticeStore(db).listForMember(userId, RECENT);
  const open = recent.filter((n) => n.replyBy.getTime() >= now.getTime());
  const out: OpenNotice[] = [];
  for (const notice of open) {
    const me = await noticeStore(db).recipient(notice.id, userId);
    if (me) out.push({ notice, answer: me.answer });
  }
  return out;
}

/** The ids a pick list carries in its conversation context: 「12,15」. */
export function formatIds(notices: readonly { notice: Notice }[]): string {
  return notices.map((o) => o.notice.id).join(',');
}

export function parseIds(text: string | undefined): number[] {
  return (text ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}
