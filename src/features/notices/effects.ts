import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../core/feature.js';
import {
  buildNoticeCard,
  describeAudience,
  formatShanghai,
  formatShanghaiShort,
  resolveAudience,
  type NoticeInput,
} from './domain/index.js';
import type { Change, Database } from '../../core/ports.js';
import type { Notice } from './ports.js';
import { planBroadcast, type BroadcastSettings } from './broadcastNotice.js';
import { checkNotice, createNotice } from './createNotice.js';
import { pickEffects } from './pickEffects.js';
import { STAFF_ONLY, staffEffects, staffOf } from './staffEffects.js';
import { noticeTexts } from './texts.js';
import { noticeStore } from './noticeStore.js';
import { inertText } from '../../shared/text.js';

/** Config defaults (NOTICE_SOURCE, NOTICE_REMIND_BEFORE_HOURS, NOTICE_MORNING_REMINDER_HOUR). */
export const DEFAULT_BROADCAST_SETTINGS: BroadcastSettings = {
  source: '县政协',
  remindBeforeMs: 24 * 3_600_000,
  morningHour: 8,
};

/** What notice_compose sends to notice.preview / notice.send: the flow's answers, every value rendered text. */
const noticePayload = z.strictObject({
  title: z.string(),
  kind: z.string(),
  startsAt: z.string(),
  place: z.string(),
  content: z.string(),
  audience: z.string(),
  sectors: z.string().optional(),
  committees: z.string().optional(),
  /** 、-separated userids or names; or picked members. */
  userids: z
    .union([z.string(), z.array(z.union([z.string(), z.looseObject({ userId: z.string() })]))])
    .optional(),
  replyBy: z.string(),
  leaveNeedsReason: z.union([z.string(), z.boolean()]),
});
type NoticePayload = z.output<typeof noticePayload>;

/**
 * The notice effects of the flows notice_compose / notice_leave / notice_stats / notice_remind. Reads happen here;
 * writes come back as changes, committed with the turn — except the notice row of `notice.send`, stored first
 * (idempotent per conversation) because its id goes into the cards.
 */
export function noticeEffects(settings: BroadcastSettings = DEFAULT_BROADCAST_SETTINGS): EffectDef[] {
  return [
    defineEffect({
      type: 'notice.preview',
      payload: noticePayload,
      result: z.object({ ok: z.boolean(), count: z.number(), text: z.string() }),
      async run(payload, ctx) {
        if (!staffOf(ctx)) return { data: { ok: false, count: 0, text: STAFF_ONLY } };
        const input = await inputFromPayload(ctx.db, payload);
        const checked = await checkNotice(ctx.db, input, ctx.now);
        if (!checked.ok) return { data: { ok: false, count: 0, text: problemsText(checked.problems) } };
        const count = resolveAudience(await ctx.db.members.list(), checked.draft.audience).length;
        const text = previewText({ ...checked.draft, id: 0 }, count, settings.source);
        return { data: { ok: true, count, text } };
      },
    }),
    defineEffect({
      type: 'notice.send',
      payload: noticePayload,
      result: z.object({ ok: z.boolean(), id: z.number(), count: z.number(), text: z.string() }),
      async run(payload, ctx) {
        const staff = staffOf(ctx);
        if (!staff) return { data: { ok: false, id: 0, count: 0, text: STAFF_ONLY } };
        const createKey = `${staff.userId}:${ctx.state.flowId}:${ctx.state.startedAt}`;
        const input = await inputFromPayload(ctx.db, payload);
        const created = await createNotice(ctx.db, {
          input,
          createdBy: staff.userId,
          createKey,
          now: ctx.now,
        });
        if (!created.ok)
          return { data: { ok: false, id: 0, count: 0, text: problemsText(created.problems) } };
        const planned = await planBroadcast(ctx.db, created.notice, settings, ctx.now);
        if (!planned.ok) {
          const text = `无法发送：${planned.reason}。`;
          return { data: { ok: false, id: created.notice.id, count: 0, text } };
        }
        const text = `通知《${created.notice.title}》已发送给 ${planned.count} 位委员。发送「通知统计」可查看回执。`;
        return {
          data: { ok: true, id: created.notice.id, count: planned.count, text },
          changes: planned.changes,
        };
      },
    }),
    defineEffect({
      type: 'notice.leave',
      payload: z.strictObject({
        reasonKind: z.string(),
        reasonText: z.string().optional(),
        /** The notice, when the flow chose it (notice_pick); else the conversation's context names it. */
        noticeId: z.string().optional(),
      }),
      result: z.object({ text: z.string() }),
      run: (payload, ctx) => recordLeave(payload, ctx),
    }),
    ...staffEffects,
    ...pickEffects,
  ];
}

async function recordLeave(
  payload: { reasonKind: string; reasonText?: string | undefined; noticeId?: string | undefined },
  ctx: EffectContext,
): Promise<{ data: { text: string }; changes?: Change[] }> {
  const member = ctx.actor.member;
  const noticeId = Number(payload.noticeId ?? ctx.context['noticeId']);
  const notice = Number.isInteger(noticeId) && noticeId > 0 ? await noticeStore(ctx.db).get(noticeId) : null;
  const me = notice && member ? await noticeStore(ctx.db).recipient(notice.id, member.userId) : null;
  if (!notice || !me) return { data: { text: '没有找到这份通知，请假未记录。' } };
  if (ctx.now.getTime() > notice.replyBy.getTime()) {
    const text = `《${notice.title}》的回执已于 ${formatShanghaiShort(notice.replyBy)} 截止，请假未记录。`;
    return { data: { text } };
  }
  const kind = payload.reasonKind.trim();
  // 「无」 / 「跳过」: the member chose to give no detail (notice_pick asks without a branch for it).
  const given = (payload.reasonText ?? '').trim();
  const detail = /^(无|没有|跳过|不用|略)。?$/.test(given) ? '' : given;
  const reason =
    [kind, detail]
      .filter((s) => s !== '')
      .join('：')
      .slice(0, 500) || '未说明';
  const answer: Change = {
    type: 'notice.answer',
    noticeId: notice.id,
    userId: me.userId,
    answer: 'leave',
    reason,
    at: ctx.now,
  };
  return { data: { text: noticeTexts.leaveRecorded(notice, reason) }, changes: [answer] };
}

/** The flow's answers (labels, 、-separated names, picked members) as the validator's input. */
async function inputFromPayload(db: Database, p: NoticePayload): Promise<NoticeInput> {
  const audienceKind = p.audience;
  const split = (v: string | undefined): string[] =>
    (v ?? '')
      .split(/[、，,；;\s]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  let userIds: string[] = [];
  if (audienceKind === '指定委员') {
    const raw = p.userids;
    if (Array.isArray(raw)) {
      userIds = raw.map((x) => (typeof x === 'string' ? x : x.userId));
    } else {
      // Typed names or userids: a name matching exactly one active member stands for that member.
      const members = await db.members.list();
      userIds = split(raw).map((token) => {
        const byName = members.filter((m) => m.active && m.name === token);
        return byName.length === 1 && byName[0] ? byName[0].userId : token;
      });
    }
  }
  const leave = p.leaveNeedsReason;
  return {
    title: p.title,
    kind: p.kind,
    startsAt: p.startsAt,
    place: p.place,
    content: p.content,
    replyBy: p.replyBy,
    leaveNeedsReason: typeof leave === 'string' ? ['是', 'true', '需要'].includes(leave) : leave,
    audience: {
      all: audienceKind === '全体委员',
      sectors: audienceKind === '按界别' ? split(p.sectors) : [],
      committees: audienceKind === '按专委会' ? split(p.committees) : [],
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
  // Staff read the preview to check what they typed: a bidi control shows as <U+202E> instead of reordering it.
  return inertText(
    [
      `【${n.kind}通知】${n.title}`,
      sub,
      `时间：${formatShanghai(n.startsAt)}`,
      `地点：${n.place}`,
      `回执截止：${formatShanghaiShort(n.replyBy)}`,
      `按钮：参加 / 请假${n.leaveNeedsReason ? '（请假须说明事由）' : ''}`,
      `发送对象：${describeAudience(n.audience)}`,
      `将发送给 ${count} 位委员。`,
    ].join('\n'),
  );
}
