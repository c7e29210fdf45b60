/** Row → port-type mapping shared by both dialects' adapters (their row types are the same, see tablesGuard.ts). */
import type { SurveyResponse, SurveyState } from './ports.js';
import type { SurveyResponseRow, SurveyStateRow } from './tablesGuard.js';

export function toSurveyState(row: SurveyStateRow): SurveyState {
  return {
    surveyId: row.surveyId,
    openedAt: row.openedAt,
    closesAt: row.closesAt,
    closedAt: row.closedAt,
    linkUrl: row.linkUrl,
    digestedAt: row.digestedAt,
  };
}

export function toSurveyResponse(row: SurveyResponseRow): SurveyResponse {
  return {
    id: row.id,
    surveyId: row.surveyId,
    channel: row.channel,
    respondent: row.respondent,
    answers: row.answers,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
    revisions: row.revisions,
  };
}
