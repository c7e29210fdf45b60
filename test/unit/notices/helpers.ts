import type { FlowState } from '../../../src/flows/index.js';
import type { Database, Member } from '../../../src/core/ports.js';
import type { Notice } from '../../../src/features/notices/ports.js';
import { planBroadcast } from '../../../src/features/notices/broadcastNotice.js';
import { createNotice } from '../../../src/features/notices/createNotice.js';
import { formatShanghai } from '../../../src/features/notices/domain/index.js';
import { noticeStore } from '../../../src/features/notices/noticeStore.js';

/** 2026-11-02 09:00 Shanghai. */
export const T0 = new Date('2026-11-02T01:00:00Z');
export const hours = (n: number): Date => new Date(T0.getTime() + n * 3_600_000);

export const SETTINGS = { source: '测试县政协', remindBeforeMs: 24 * 3_600_000, morningHour: 8 };

export const STAFF: Member = {
  userId: 'staff1',
  name: '王干事',
  role: 'staff',
  sector: null,
  committee: null,
  mobile: null,
  active: true,
};

export function member(userId: string, over: Partial<Member> = {}): Member {
  return {
    userId,
    name: `委员${userId}`,
    role: 'member',
    sector: '经济界',
    committee: '提案委员会',
    mobile: null,
    active: true,
    ...over,
  };
}

/** Creates and sends (commits) a notice to `audience`, starting in 72 h, reply by 48 h. */
export async function sentNotice(
  db: Database,
  key: string,
  over: Record<string, unknown> = {},
  now = T0,
): Promise<Notice> {
  const r = await createNotice(db, {
    input: {
      title: '停车难专题协商会',
      kind: '专题协商会',
      startsAt: formatShanghai(hours(72)),
      place: '三楼会议室',
      content: '议题：城区停车难',
      audience: { all: true },
      replyBy: formatShanghai(hours(48)),
      leaveNeedsReason: false,
      ...over,
    },
    createdBy: STAFF.userId,
    createKey: key,
    now,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const planned = await planBroadcast(db, r.notice, SETTINGS, now);
  if (!planned.ok) throw new Error(planned.reason);
  await db.commit(planned.changes);
  const notice = await noticeStore(db).get(r.notice.id);
  if (!notice) throw new Error('gone');
  return notice;
}

/** A conversation state as an effect sees it (only flowId, seq and startedAt matter to the notice effects). */
export function flowState(flowId: string, over: { seq?: number; startedAt?: number } = {}): FlowState {
  const startedAt = over.startedAt ?? 1;
  return {
    flowId,
    version: 1,
    hash: 'h',
    stepId: 's',
    status: 'active',
    answers: {},
    defaults: {},
    retries: {},
    history: [],
    returnTo: null,
    waiting: null,
    candidates: null,
    seq: over.seq ?? 1,
    startedAt,
    updatedAt: startedAt,
  };
}
