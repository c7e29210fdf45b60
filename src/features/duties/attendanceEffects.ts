/**
 * 登记出席情况 in chat (flows/duties_attendance.yaml): staff pick a meeting that has begun, see who answered 参加
 * (and who has already 签到), name the absentees (and anyone who came without answering), and confirm; each
 * person's 出席 / 缺席 is recorded as by the admin API. A member's own 签到 is kept as it is unless staff name them.
 */
import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectContext, EffectDef } from '../../core/feature.js';
import type { Change, Database } from '../../core/ports.js';
import { parseIndex } from '../../flows/index.js';
import { formatShanghai } from '../../shared/chinaTime.js';
import { noticeStore, noticesNamed } from '../notices/index.js';
import { parseAttendanceInput, type SheetPerson } from './domain/attendanceInput.js';
import { dutyStore } from './dutyStore.js';

const STAFF_ONLY = '此功能仅限工作人员使用。';
/** How many recent meetings are offered. */
const LISTED = 5;

const isStaff = (ctx: EffectContext): boolean => ctx.actor.member?.role === 'staff';

/** Sent notices whose meeting has begun, most recent meeting first. */
async function pastMeetings(db: Database, now: Date) {
  return (await noticeStore(db).listSent(50))
    .filter((n) => n.startsAt <= now)
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
}

async function sheetOf(db: Database, noticeId: number): Promise<SheetPerson[]> {
  const recipients = await noticeStore(db).recipients(noticeId);
  // Attendees first (numbered on the sheet), then the others.
  const people = recipients.map((r) => ({ userId: r.userId, name: r.name, answer: r.answer }));
  return [...people.filter((p) => p.answer === 'attend'), ...people.filter((p) => p.answer !== 'attend')];
}

/** Who would be marked what: attendees not named absent, and the extra ones, are 出席. */
async function planMarks(db: Database, noticeId: number, text: string) {
  const sheet = await sheetOf(db, noticeId);
  const parsed = parseAttendanceInput(text, sheet);
  if (!parsed.ok) return { ok: false as const, sheet, unknown: parsed.unknown };
  const absent = new Set(parsed.absent);
  const present = [
    ...sheet.filter((p) => p.answer === 'attend' && !absent.has(p.userId)).map((p) => p.userId),
    ...parsed.extraPresent,
  ];
  return { ok: true as const, sheet, present, absent: [...absent] };
}

const names = (sheet: readonly SheetPerson[], ids: readonly string[]): string =>
  ids.length === 0 ? '无' : ids.map((id) => sheet.find((p) => p.userId === id)?.name ?? id).join('、');

export const attendanceEffects: EffectDef[] = [
  defineEffect({
    type: 'duties.meetings',
    payload: z.strictObject({}),
    result: z.object({ count: z.number(), text: z.string() }),
    async run(_p, ctx) {
      if (!isStaff(ctx)) return { data: { count: 0, text: STAFF_ONLY } };
      const meetings = (await pastMeetings(ctx.db, ctx.now)).slice(0, LISTED);
      if (meetings.length === 0)
        return { data: { count: 0, text: '目前没有已召开的会议（会议开始后才能登记出席情况）。' } };
      const lines = meetings.map((n, i) => `${i + 1}. ${formatShanghai(n.startsAt)}《${n.title}》`);
      return { data: { count: meetings.length, text: `最近召开的会议：\n${lines.join('\n')}` } };
    },
  }),
  defineEffect({
    type: 'duties.attendanceSheet',
    payload: z.strictObject({ which: z.string() }),
    result: z.object({ found: z.boolean(), noticeId: z.string(), text: z.string() }),
    async run(payload, ctx) {
      if (!isStaff(ctx)) return { data: { found: false, noticeId: '', text: STAFF_ONLY } };
      const meetings = await pastMeetings(ctx.db, ctx.now);
      const index = parseIndex(payload.which);
      const notice =
        index !== null ? meetings.slice(0, LISTED)[index - 1] : noticesNamed(meetings, payload.which)[0];
      if (!notice)
        return {
          data: {
            found: false,
            noticeId: '',
            text: `没有找到「${payload.which}」对应的会议，请回复列表中的序号，或会议日期、标题中的词。`,
          },
        };
      const sheet = await sheetOf(ctx.db, notice.id);
      const marked = await dutyStore(ctx.db).attendanceAt(notice.id);
      const state = (id: string): string => {
        const m = marked.get(id);
        if (!m) return '';
        if (m.status === 'absent') return '（已登记缺席）';
        return m.source === 'checkin' ? '（已签到）' : '（已登记出席）';
      };
      const attendees = sheet.filter((p) => p.answer === 'attend');
      const leave = sheet.filter((p) => p.answer === 'leave');
      const silent = sheet.filter((p) => p.answer === null);
      const text = [
        `《${notice.title}》${formatShanghai(notice.startsAt)}`,
        `回执参加 ${attendees.length} 人：`,
        ...attendees.map((p, i) => `${i + 1}. ${p.name}${state(p.userId)}`),
        `请假 ${leave.length} 人：${leave.map((p) => `${p.name}${state(p.userId)}`).join('、') || '无'}`,
        `未回执 ${silent.length} 人：${silent.map((p) => `${p.name}${state(p.userId)}`).join('、') || '无'}`,
      ].join('\n');
      return { data: { found: true, noticeId: String(notice.id), text } };
    },
  }),
  defineEffect({
    type: 'duties.attendancePreview',
    payload: z.strictObject({ noticeId: z.string(), absent: z.string() }),
    result: z.object({ ok: z.boolean(), text: z.string() }),
    async run(payload, ctx) {
      if (!isStaff(ctx)) return { data: { ok: false, text: STAFF_ONLY } };
      const plan = await planMarks(ctx.db, Number(payload.noticeId), payload.absent);
      if (!plan.ok)
        return {
          data: {
            ok: false,
            text: `名单上没有「${plan.unknown.join('、')}」。请用名单上的姓名或参加名单的序号，多个用顿号隔开。`,
          },
        };
      const leave = plan.sheet.filter((p) => p.answer === 'leave' && !plan.absent.includes(p.userId));
      const text = [
        `出席 ${plan.present.length} 人：${names(plan.sheet, plan.present)}`,
        `缺席 ${plan.absent.length} 人：${names(plan.sheet, plan.absent)}`,
        ...(leave.length > 0
          ? [
              `请假 ${leave.length} 人（不计缺席）：${names(
                plan.sheet,
                leave.map((p) => p.userId),
              )}`,
            ]
          : []),
      ].join('\n');
      return { data: { ok: true, text } };
    },
  }),
  defineEffect({
    type: 'duties.attendanceMark',
    payload: z.strictObject({ noticeId: z.string(), absent: z.string() }),
    result: z.object({ ok: z.boolean(), text: z.string() }),
    async run(payload, ctx) {
      const staff = ctx.actor.member;
      if (!staff || staff.role !== 'staff') return { data: { ok: false, text: STAFF_ONLY } };
      const notice = await noticeStore(ctx.db).get(Number(payload.noticeId));
      if (!notice || notice.startsAt > ctx.now)
        return { data: { ok: false, text: '会议尚未开始，不能登记出席情况。' } };
      const plan = await planMarks(ctx.db, notice.id, payload.absent);
      if (!plan.ok) return { data: { ok: false, text: `名单上没有「${plan.unknown.join('、')}」。` } };
      const marked = await dutyStore(ctx.db).attendanceAt(notice.id);
      const mark = (userId: string, status: 'present' | 'absent'): Change => ({
        type: 'duty.attendance',
        attendance: { noticeId: notice.id, userId, status, source: 'staff', by: staff.userId, at: ctx.now },
      });
      const changes: Change[] = [
        // A member's own 签到 stays as it is (it says how they were recorded).
        ...plan.present.filter((id) => marked.get(id)?.status !== 'present').map((id) => mark(id, 'present')),
        ...plan.absent.map((id) => mark(id, 'absent')),
      ];
      return {
        data: {
          ok: true,
          text: `已登记《${notice.title}》出席情况：出席 ${plan.present.length} 人，缺席 ${plan.absent.length} 人。已计入委员履职档案。`,
        },
        changes,
      };
    },
  }),
];
