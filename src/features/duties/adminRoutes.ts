import { z } from 'zod';
import type { AdminRoute } from '../../core/adminRoute.js';
import type { Change } from '../../core/ports.js';
import { noticeStore } from '../notices/index.js';
import { checkinCode } from './checkin.js';
import type { FeatureRuntime } from '../../core/feature.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import { AppError } from '../../shared/errors.js';
import { computePoints, DUTY_ITEM_LABELS } from './domain/index.js';
import { dutyRecord } from './dutyRecord.js';
import { loadPointsRules } from './pointsRules.js';

const userIds = z.array(z.string().trim().min(1).max(64)).max(5000);
const attendanceBody = z.strictObject({
  noticeId: z.number().int().positive(),
  actor: z.string().trim().min(1, '需要操作人（工作人员账号）').max(64),
  present: userIds.optional(),
  absent: userIds.optional(),
});
type AttendanceBody = z.infer<typeof attendanceBody>;

/**
 * GET /admin/api/members/:userid/duties?year=2026: the member's record and points with their breakdown.
 * POST /admin/api/duties/attendance: staff mark 出席 / 缺席 after a meeting (recipients of the notice only).
 * GET /admin/api/duties/checkin-code/:noticeId: the 签到 code to show in the room.
 */
export function dutyAdminRoutes(rt: FeatureRuntime, settings: { pointsFile: string }): AdminRoute[] {
  const attendance: AdminRoute<AttendanceBody> = {
    method: 'POST',
    path: '/duties/attendance',
    body: attendanceBody,
    async handle({ body }) {
      const actor = await rt.db.members.get(body.actor);
      if (!actor?.active || actor.role !== 'staff')
        throw new AppError({
          code: 'forbidden',
          message: `${body.actor} is not staff`,
          userMessage: '只有工作人员可以登记出席情况。',
        });
      const notice = await noticeStore(rt.db).get(body.noticeId);
      if (!notice || notice.status !== 'sent')
        throw new AppError({
          code: 'not_found',
          message: `no sent notice ${body.noticeId}`,
          userMessage: '没有这份已发送的通知',
        });
      const now = rt.clock.now();
      if (notice.startsAt > now)
        throw new AppError({
          code: 'conflict',
          message: 'meeting not started',
          userMessage: '会议尚未开始，不能登记出席情况。',
        });
      const recipients = new Set((await noticeStore(rt.db).recipients(notice.id)).map((r) => r.userId));
      const marks = [
        ...(body.present ?? []).map((u) => ({ userId: u, status: 'present' as const })),
        ...(body.absent ?? []).map((u) => ({ userId: u, status: 'absent' as const })),
      ];
      const strangers = marks.filter((m) => !recipients.has(m.userId)).map((m) => m.userId);
      if (strangers.length > 0)
        throw new AppError({
          code: 'invalid_body',
          message: 'not recipients',
          userMessage: '请求内容有误',
          problems: [{ field: 'present/absent', message: `不是这份通知的参会对象：${strangers.join('、')}` }],
        });
      const changes: Change[] = marks.map((m) => ({
        type: 'duty.attendance',
        attendance: {
          noticeId: notice.id,
          userId: m.userId,
          status: m.status,
          source: 'staff',
          by: actor.userId,
          at: now,
        },
      }));
      await rt.db.commit(changes);
      return { status: 200, body: { noticeId: notice.id, marked: marks.length } };
    },
  };
  return [
    attendance,
    {
      method: 'GET',
      path: '/duties/checkin-code/:noticeId',
      async handle({ params }) {
        const id = Number(params['noticeId']);
        const notice = Number.isSafeInteger(id) && id > 0 ? await noticeStore(rt.db).get(id) : null;
        if (!notice)
          throw new AppError({ code: 'not_found', message: 'no notice', userMessage: '没有这份通知' });
        return {
          status: 200,
          body: { noticeId: notice.id, title: notice.title, code: checkinCode(notice.id, notice.startsAt) },
        };
      },
    },
    {
      method: 'GET',
      path: '/members/:userid/duties',
      async handle({ params, query }) {
        const userId = params['userid'] ?? '';
        const member = await rt.db.members.get(userId);
        if (!member)
          throw new AppError({
            code: 'not_found',
            message: `no member ${userId.slice(0, 64)}`,
            userMessage: '没有这位成员',
          });
        const rawYear = query['year'];
        if (rawYear !== undefined && !/^(19|20)\d{2}$/.test(rawYear))
          throw new AppError({
            code: 'invalid_body',
            message: 'bad year',
            userMessage: '查询条件有误',
            problems: [{ field: 'year', message: '年份应为四位数字，如 2026' }],
          });
        const now = rt.clock.now();
        const year = rawYear ? Number(rawYear) : shanghaiParts(now).year;
        const loaded = await loadPointsRules(settings.pointsFile);
        if (!loaded.ok)
          throw new AppError({ code: 'internal', message: loaded.problem, userMessage: '积分规则文件有误' });
        const record = await dutyRecord(rt.db, member, year, now);
        const points = computePoints(record.counts, loaded.rules);
        return {
          status: 200,
          body: {
            userid: member.userId,
            name: member.name,
            sector: member.sector,
            year,
            rules: loaded.rules.name,
            counts: record.counts,
            record: record.entries.map((e) => ({
              item: e.item,
              label: DUTY_ITEM_LABELS[e.item],
              what: e.what,
              at: e.at.toISOString(),
            })),
            points: {
              total: points.total,
              breakdown: points.lines,
              open: points.open,
              belowThreshold: points.belowThreshold,
              exitReasons: points.exitReasons,
            },
          },
        };
      },
    },
  ];
}
