import type { Effect, FlowInput, FlowState, JsonValue } from '../../flows/index.js';
import {
  buildNoticeCard,
  describeAudience,
  formatShanghai,
  formatShanghaiShort,
  resolveAudience,
  type NoticeInput,
} from './domain/index.js';
import type { Change, Database, Member, Notice } from '../../core/ports.js';
import { planBroadcast, type BroadcastSettings } from './broadcastNotice.js';
import { checkNotice, createNotice } from './createNotice.js';
import { formatReceiptsText, noticeReceipts } from './noticeReceipts.js';
import { planNonResponderReminder } from './reminders.js';
import { noticeTexts } from './texts.js';

export interface NoticeEffectContext {
  member: Member;
  state: FlowState;
  now: Date;
  context: Record<string, string>;
}

export type NoticeEffectResult = { result: FlowInput; changes: Change[] };

/** Config defaults (NOTICE_SOURCE, NOTICE_REMIND_BEFORE_HOURS, NOTICE_MORNING_REMINDER_HOUR). */
export const DEFAULT_BROADCAST_SETTINGS: BroadcastSettings = {
  source: '县政协',
  remindBeforeMs: 24 * 3_600_000,
  morningHour: 8,
};

const NOTICE_EFFECTS = new Set([
  'notice.preview',
  'notice.send',
  'notice.stats',
  'notice.remind',
  'notice.leave',
]);

/**
 * The notice effects of the flows notice_compose / notice_leave / notice_stats. Returns null for any other effect
 * (the caller's switch goes on). Reads happen here; writes come back as changes, committed with the turn — except
 * the notice row of `notice.send`, stored first (idempotent per conversation) because its id goes into the cards.
 */
export async function runNoticeEffect(
  effect: Effect,
  ctx: NoticeEffectContext,
  db: Database,
  settings: BroadcastSettings = DEFAULT_BROADCAST_SETTINGS,
): Promise<NoticeEffectResult | null> {
  if (!NOTICE_EFFECTS.has(effect.type)) return null;
  const ok = (data: Record<string, JsonValue>, changes: Change[] = []): NoticeEffectResult => ({
    result: { type: 'effectResult', effectId: effect.id, ok: true, data },
    changes,
  });
  const staffOnly = (): NoticeEffectResult | null =>
    ctx.member.role === 'staff'
      ? null
      : ok({ ok: false, found: false, count: 0, text: '此功能仅限工作人员使用。' });
  switch (effect.type) {
    case 'notice.preview': {
      const denied = staffOnly();
      if (denied) return denied;
      const input = await inputFromPayload(db, effect.payload);
      const checked = await checkNotice(db, input, ctx.now);
      if (!checked.ok) return ok({ ok: false, count: 0, text: problemsText(checked.problems) });
      const count = resolveAudience(await db.members.list(), checked.draft.audience).length;
      const text = previewText({ ...checked.draft, id: 0 }, count, settings.source);
      return ok({ ok: true, count, text });
    }
    case 'notice.send': {
      const denied = staffOnly();
      if (denied) return denied;
      const createKey = `${ctx.member.userId}:${ctx.state.flowId}:${ctx.state.startedAt}`;
      const input = await inputFromPayload(db, effect.payload);
      const created = await createNotice(db, {
        input,
        createdBy: ctx.member.userId,
        createKey,
        now: ctx.now,
      });
      if (!created.ok) return ok({ ok: false, id: 0, count: 0, text: problemsText(created.problems) });
      const planned = await planBroadcast(db, created.notice, settings, ctx.now);
      if (!planned.ok)
        return ok({ ok: false, id: created.notice.id, count: 0, text: `无法发送：${planned.reason}。` });
      return ok(
        {
          ok: true,
          id: created.notice.id,
          count: planned.count,
          text: `通知《${created.notice.title}》已发送给 ${planned.count} 位委员。发送「通知统计」可查看回执。`,
        },
        planned.changes,
      );
    }
    case 'notice.stats': {
      const denied = staffOnly();
      if (denied) return denied;
      const latest = await db.notices.latestSent();
      const receipts = latest ? await noticeReceipts(db, latest.id) : null;
      if (!receipts) return ok({ found: false, text: '还没有发送过通知。' });
      return ok({ found: true, text: formatReceiptsText(receipts, ctx.now) });
    }
    case 'notice.remind': {
      const denied = staffOnly();
      if (denied) return denied;
      const latest = await db.notices.latestSent();
      if (!latest) return ok({ count: 0, text: '还没有发送过通知。' });
      const key = `chat:${ctx.member.userId}:${ctx.state.startedAt}:${effect.id}`;
      const planned = await planNonResponderReminder(db, latest, key, ctx.now);
      const text =
        planned.count === 0
          ? `《${latest.title}》所有委员都已回复，无需提醒。`
          : `已提醒 ${planned.count} 位尚未回复《${latest.title}》的委员。`;
      return ok({ count: planned.count, text }, planned.changes);
    }
    case 'notice.leave':
      return recordLeave(db, effect, ctx, ok);
    default:
      return null;
  }
}

async function recordLeave(
  db: Database,
  effect: Effect,
  ctx: NoticeEffectContext,
  ok: (data: Record<string, JsonValue>, changes?: Change[]) => NoticeEffectResult,
): Promise<NoticeEffectResult> {
  const noticeId = Number(ctx.context['noticeId']);
  const notice = Number.isInteger(noticeId) && noticeId > 0 ? await db.notices.get(noticeId) : null;
  const me = notice ? await db.notices.recipient(notice.id, ctx.member.userId) : null;
  if (!notice || !me) return ok({ text: '没有找到这份通知，请假未记录。' });
  if (ctx.now.getTime() > notice.replyBy.getTime())
    return ok({
      text: `《${notice.title}》的回执已于 ${formatShanghaiShort(notice.replyBy)} 截止，请假未记录。`,
    });
  const kind = str(effect.payload['reasonKind']).trim();
  const detail = str(effect.payload['reasonText']).trim();
  const reason =
    [kind, detail]
      .filter((s) => s !== '')
      .join('：')
      .slice(0, 500) || '未说明';
  return ok({ text: noticeTexts.leaveRecorded(notice, reason) }, [
    {
      type: 'notice.answer',
      noticeId: notice.id,
      userId: ctx.member.userId,
      answer: 'leave',
      reason,
      at: ctx.now,
    },
  ]);
}

/** The flow's answers (labels, 、-separated names, picked members) as the validator's input. */
async function inputFromPayload(db: Database, p: Record<string, JsonValue>): Promise<NoticeInput> {
  const audienceKind = str(p['audience']);
  const split = (v: JsonValue | undefined): string[] =>
    str(v)
      .split(/[、，,；;\s]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  let userIds: string[] = [];
  if (audienceKind === '指定委员') {
    const raw = p['userids'];
    if (Array.isArray(raw)) {
      userIds = raw.flatMap((x) => {
        if (typeof x === 'string') return [x];
        if (typeof x === 'object' && x !== null && !Array.isArray(x) && typeof x['userId'] === 'string')
          return [x['userId']];
        return [];
      });
    } else {
      // Typed names or userids: a name matching exactly one active member stands for that member.
      const members = await db.members.list();
      userIds = split(raw).map((token) => {
        const byName = members.filter((m) => m.active && m.name === token);
        return byName.length === 1 && byName[0] ? byName[0].userId : token;
      });
    }
  }
  const leave = p['leaveNeedsReason'];
  return {
    title: p['title'],
    kind: p['kind'],
    startsAt: p['startsAt'],
    place: p['place'],
    content: p['content'],
    replyBy: p['replyBy'],
    leaveNeedsReason: typeof leave === 'string' ? ['是', 'true', '需要'].includes(leave) : leave,
    audience: {
      all: audienceKind === '全体委员',
      sectors: audienceKind === '按界别' ? split(p['sectors']) : [],
      committees: audienceKind === '按专委会' ? split(p['committees']) : [],
      userids: userIds,
    },
  };
}

function problemsText(problems: readonly { message: string }[]): string {
  return `通知还不能发送：\n${problems.map((p, i) => `${i + 1}. ${p.message}`).join('\n')}`;
}

function previewText(
  n: Pick<
    Notice,
    'id' | 'title' | 'kind' | 'startsAt' | 'place' | 'content' | 'replyBy' | 'leaveNeedsReason' | 'audience'
  >,
  count: number,
  source: string,
): string {
  // Built from the same card as the real send, so the preview cannot drift from what members get.
  const card = buildNoticeCard(n, { taskId: 'preview', source });
  const sub = typeof card['sub_title_text'] === 'string' ? card['sub_title_text'] : n.content;
  return [
    `【${n.kind}通知】${n.title}`,
    sub,
    `时间：${formatShanghai(n.startsAt)}`,
    `地点：${n.place}`,
    `回执截止：${formatShanghaiShort(n.replyBy)}`,
    `按钮：参加 / 请假${n.leaveNeedsReason ? '（请假须说明事由）' : ''}`,
    `发送对象：${describeAudience(n.audience)}`,
    `将发送给 ${count} 位委员。`,
  ].join('\n');
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
