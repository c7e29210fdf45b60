import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../core/feature.js';
import type { Database, Member } from '../../core/ports.js';
import { parseIndex } from '../../flows/index.js';
import { formatShanghaiShort } from './domain/index.js';
import { formatReceiptsText, noticeReceipts } from './noticeReceipts.js';
import { noticeStore } from './noticeStore.js';
import type { Notice } from './ports.js';
import { lastStaffReminder, planNonResponderReminder, staffReminderLabel } from './reminders.js';
import { meetingDay, noticesNamed } from './textAnswer.js';

export const STAFF_ONLY = '此功能仅限工作人员使用。';

/** How many recent notices 通知统计 lists to pick from. */
const LISTED = 5;
/** A second 提醒未回复 for the same notice within this long is refused: members are not nagged twice. */
export const REMIND_GAP_MS = 10 * 60_000;

/** The member behind the conversation when staff, else null (notice authoring is staff work). */
export function staffOf(ctx: EffectContext): Member | null {
  const m = ctx.actor.member;
  return m && m.role === 'staff' ? m : null;
}

/** 1 / ２ / 二 (position in the list of recent notices), a meeting day (15号) or a title word; '' → the latest. */
async function findNotice(db: Database, which: string): Promise<Notice | null> {
  const recent = await noticeStore(db).listSent(20);
  const w = which.trim();
  if (w === '') return recent[0] ?? null;
  const index = /[号日月]$/.test(w) ? null : parseIndex(w);
  if (index !== null) return recent.slice(0, LISTED)[index - 1] ?? null;
  const named = noticesNamed(recent, w);
  return named[0] ?? null;
}

/** notice.statsList / notice.stats / notice.remind / notice.checkAudience: the staff side of notices in chat. */
export const staffEffects: EffectDef[] = [
  defineEffect({
    type: 'notice.statsList',
    payload: z.strictObject({}),
    result: z.object({ count: z.number(), text: z.string() }),
    async run(_payload, ctx) {
      if (!staffOf(ctx)) return { data: { count: 0, text: STAFF_ONLY } };
      const recent = await noticeStore(ctx.db).listSent(LISTED);
      if (recent.length === 0) return { data: { count: 0, text: '还没有发送过通知。' } };
      const lines = recent.map((n, i) => `${i + 1}. ${meetingDay(n)} 《${n.title}》`);
      const text = `最近发送的通知：\n${lines.join('\n')}\n请回复序号查看回执（也可回复会议日期或标题中的词）。`;
      return { data: { count: recent.length, text } };
    },
  }),
  defineEffect({
    type: 'notice.stats',
    payload: z.strictObject({ which: z.string().optional() }),
    result: z.object({ found: z.boolean(), text: z.string(), noticeId: z.string() }),
    async run(payload, ctx) {
      if (!staffOf(ctx)) return { data: { found: false, text: STAFF_ONLY, noticeId: '' } };
      const notice = await findNotice(ctx.db, payload.which ?? '');
      const receipts = notice ? await noticeReceipts(ctx.db, notice.id) : null;
      if (!notice || !receipts) {
        const text = payload.which
          ? `没有找到「${payload.which}」对应的通知，请回复列表中的序号。`
          : '还没有发送过通知。';
        return { data: { found: false, text, noticeId: '' } };
      }
      const last = await lastStaffReminder(ctx.db, notice.id);
      const text =
        formatReceiptsText(receipts, ctx.now) + (last ? `\n上次提醒：${formatShanghaiShort(last)}` : '');
      return { data: { found: true, text, noticeId: String(notice.id) } };
    },
  }),
  defineEffect({
    type: 'notice.remind',
    payload: z.strictObject({ noticeId: z.string().optional() }),
    result: z.object({ count: z.number(), text: z.string() }),
    async run(payload, ctx) {
      const staff = staffOf(ctx);
      if (!staff) return { data: { count: 0, text: STAFF_ONLY } };
      const id = Number(payload.noticeId ?? '');
      const notice =
        Number.isInteger(id) && id > 0
          ? await noticeStore(ctx.db).get(id)
          : await noticeStore(ctx.db).latestSent();
      if (!notice) return { data: { count: 0, text: '还没有发送过通知。' } };
      const last = await lastStaffReminder(ctx.db, notice.id);
      if (last && ctx.now.getTime() - last.getTime() < REMIND_GAP_MS) {
        const again = formatShanghaiShort(new Date(last.getTime() + REMIND_GAP_MS));
        const text =
          `《${notice.title}》的提醒已于 ${formatShanghaiShort(last)} 发出，为免重复打扰委员，这次没有发送。` +
          `如仍需提醒，请在 ${again} 以后再发送「提醒未回复」并确认。`;
        return { data: { count: 0, text } };
      }
      // Keyed by the conversation and its step counter: a retried turn queues nothing twice.
      const key = `chat:${staff.userId}:${ctx.state.startedAt}:${ctx.state.seq}`;
      const planned = await planNonResponderReminder(
        ctx.db,
        notice,
        key,
        ctx.now,
        staffReminderLabel(notice.id),
      );
      const text =
        planned.count === 0
          ? `《${notice.title}》所有委员都已回复，无需提醒。`
          : `已提醒 ${planned.count} 位尚未回复《${notice.title}》的委员。`;
      return { data: { count: planned.count, text }, changes: planned.changes };
    },
  }),
  defineEffect({
    type: 'notice.checkAudience',
    payload: z.strictObject({ sectors: z.string().optional(), committees: z.string().optional() }),
    result: z.object({ ok: z.boolean(), text: z.string() }),
    async run(payload, ctx) {
      const members = (await ctx.db.members.list()).filter((m) => m.active && m.role === 'member');
      const kind = payload.sectors !== undefined ? '界别' : '专委会';
      const typed = payload.sectors ?? payload.committees ?? '';
      const known = [
        ...new Set(members.map((m) => (kind === '界别' ? m.sector : m.committee)).filter((x) => x !== null)),
      ];
      const problems = checkNames(typed, known, kind);
      if (problems.length === 0) return { data: { ok: true, text: '' } };
      const list = known.length > 0 ? `\n现有${kind}：${known.join('、')}` : '';
      const text = `${problems.join('\n')}${list}\n请重新输入${kind}名称，多个用「、」隔开。`;
      return { data: { ok: false, text } };
    },
  }),
];

/** Each typed name that is not a known one, with the known name it most likely means (教育 → 教育界). */
export function checkNames(typed: string, known: readonly string[], kind: '界别' | '专委会'): string[] {
  const names = typed
    .split(/[、，,；;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return [`请至少输入一个${kind}。`];
  return names.flatMap((name) => {
    if (known.includes(name)) return [];
    const like = known.filter((k) => k.includes(name) || name.includes(k));
    return [
      like.length > 0
        ? `没有「${name}」这个${kind}，您是指「${like.join('」或「')}」吗？`
        : `没有「${name}」这个${kind}。`,
    ];
  });
}
