/** 社情民意: pure rules and labels shared by the feature's effects, admin routes and export. */
export * from './states.js';
export { decide, allowedActions } from './decide.js';
export type { ActorRole, Decision, ReportFacts, ReviewRequest } from './decide.js';
export { checkReport, REPORT_LIMITS, REPORT_FIELD_LABELS } from './checkReport.js';
export type { ReportCheck, ReportDraft, ReportField, ReportCheckMessage } from './checkReport.js';
export { sentimentStats, formatStats } from './stats.js';
export type { SentimentStats, StatsInput } from './stats.js';

/** Display number of a report, e.g. 社情〔2026〕第007号. */
export function formatReportNumber(year: number, seq: number): string {
  return `社情〔${year}〕第${String(seq).padStart(3, '0')}号`;
}
