export { surveyStatus, closesAt, STATUS_LABEL, type SurveyStatus, type SurveyTimes } from './status.js';
export { maskPersonalNumbers } from './mask.js';
export {
  surveyResults,
  summaryText,
  tallyQuestions,
  type CrossTab,
  type OptionCount,
  type QuestionResult,
  type ResponseInput,
  type SurveyResults,
} from './results.js';
export { pickSurvey } from './pickSurvey.js';
