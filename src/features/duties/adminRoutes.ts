import type { AdminRoute } from '../../core/adminRoute.js';
import type { FeatureRuntime } from '../../core/feature.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import { AppError } from '../../shared/errors.js';
import { computePoints, DUTY_ITEM_LABELS } from './domain/index.js';
import { dutyRecord } from './dutyRecord.js';
import { loadPointsRules } from './pointsRules.js';

/** GET /admin/api/members/:userid/duties?year=2026: the member's record and points with their breakdown. */
export function dutyAdminRoutes(rt: FeatureRuntime, settings: { pointsFile: string }): AdminRoute[] {
  return [
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
            },
          },
        };
      },
    },
  ];
}
