import { z } from 'zod';
import { defineEffect } from '../../core/defineEffect.js';
import type { EffectDef } from '../../core/feature.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import { computePoints, formatPoints } from './domain/index.js';
import { allMemberDuties, formatDutyStats } from './dutyReport.js';
import { dutyRecord } from './dutyRecord.js';
import { loadPointsRules } from './pointsRules.js';

const RULES_BROKEN = '积分规则暂时无法读取，请联系政协办公室。';

/** duties.mine (我的履职 / 我的积分) and duties.stats (履职统计, staff). */
export function dutyEffects(settings: { pointsFile: string }): EffectDef[] {
  return [
    defineEffect({
      type: 'duties.mine',
      payload: z.strictObject({}),
      result: z.object({ text: z.string() }),
      async run(_p, ctx) {
        const member = ctx.actor.member;
        if (!member) return { data: { text: '履职档案只对政协委员开放。' } };
        const loaded = await loadPointsRules(settings.pointsFile);
        if (!loaded.ok) {
          ctx.logger.error({ problem: loaded.problem }, 'points rules unreadable');
          return { data: { text: RULES_BROKEN } };
        }
        const year = shanghaiParts(ctx.now).year;
        const record = await dutyRecord(ctx.db, member, year, ctx.now);
        const points = computePoints(record.counts, loaded.rules);
        const recent = record.entries.slice(-8).map((e) => `· ${e.what}`);
        const text = [
          formatPoints(year, member.name, loaded.rules.name, points),
          ...(recent.length > 0 ? ['最近的履职记录：', ...recent] : []),
        ].join('\n');
        return { data: { text } };
      },
    }),
    defineEffect({
      type: 'duties.stats',
      payload: z.strictObject({}),
      result: z.object({ text: z.string() }),
      async run(_p, ctx) {
        if (ctx.actor.member?.role !== 'staff') return { data: { text: '此功能仅限工作人员使用。' } };
        const loaded = await loadPointsRules(settings.pointsFile);
        if (!loaded.ok) return { data: { text: loaded.problem } };
        const year = shanghaiParts(ctx.now).year;
        const list = await allMemberDuties(ctx.db, loaded.rules, year, ctx.now);
        return { data: { text: formatDutyStats(year, loaded.rules.name, list, loaded.rules) } };
      },
    }),
  ];
}
