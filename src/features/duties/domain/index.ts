/** 履职档案 and 积分: pure rules, shared by the duties feature's effects, admin route and export. */
export { DUTY_ITEMS, DUTY_ITEM_LABELS, PointsRulesSchema } from './rules.js';
export type { DutyItem, PointsRules } from './rules.js';
export { computePoints, formatPoints, NO_DUTIES } from './points.js';
export type { DutyCounts, PointsLine, PointsResult } from './points.js';
export { parseAttendanceInput, type AttendanceInput, type SheetPerson } from './attendanceInput.js';
