import type { Feature } from '../../core/feature.js';
import { dutyAdminRoutes } from './adminRoutes.js';
import { attendanceEffects } from './attendanceEffects.js';
import { checkinRoute } from './checkin.js';
import { dutyChanges } from './dutyStore.js';
import { dutyEffects } from './effects.js';

export interface DutySettings {
  /** The points rules (YAML), read each time they are used. */
  pointsFile: string;
}

/**
 * 履职档案 and 积分: each member's duties of the year, read from notices, proposals and 社情民意; points under the
 * editable rules (flows/duties/points.yaml); 我的履职 for members, 履职统计 and the XLSX for staff, the admin record.
 */
export function createDutiesFeature(settings: DutySettings): Feature {
  return {
    name: 'duties',
    changes: dutyChanges,
    effects: [...dutyEffects(settings), ...attendanceEffects],
    routes: [checkinRoute],
    adminRoutes: (rt) => dutyAdminRoutes(rt, settings),
  };
}

export { dutyRecord, type DutyRecord, type DutyEntry } from './dutyRecord.js';
export { allMemberDuties, formatDutyStats, type MemberDuties } from './dutyReport.js';
export { loadPointsRules } from './pointsRules.js';
export { checkinCode } from './checkin.js';
export { DUTY_ITEMS, DUTY_ITEM_LABELS, computePoints } from './domain/index.js';
