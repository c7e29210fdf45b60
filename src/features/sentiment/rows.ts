/** Row → port-type mapping of the sentiment tables, shared by both store adapters (same row types, tablesGuard.ts). */
import type { Report, ReportEvent } from './ports.js';
import type { ReportEventRow, ReportRow } from './tablesGuard.js';

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    submitKey: row.submitKey,
    year: row.year,
    seq: row.seq,
    number: row.number,
    source: row.source,
    reporterId: row.reporterId,
    jointIds: row.jointIds,
    replyTo: row.replyTo,
    replyChannel: row.replyChannel,
    lastSeenAt: row.lastSeenAt,
    title: row.title,
    category: row.category,
    situation: row.situation,
    analysis: row.analysis,
    suggestions: row.suggestions,
    town: row.town,
    contact: row.contact,
    proposalId: row.proposalId,
    state: row.state,
    level: row.level,
    adoptionMode: row.adoptionMode,
    forwardUnit: row.forwardUnit,
    forwardDue: row.forwardDue,
    instructions: row.instructions,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
  };
}

export function toReportEvent(row: ReportEventRow): ReportEvent {
  return {
    reportId: row.reportId,
    seq: row.seq,
    action: row.action,
    state: row.state,
    actorId: row.actorId,
    summary: row.summary,
    detail: row.detail,
    tell: row.tell,
    at: row.at,
  };
}
