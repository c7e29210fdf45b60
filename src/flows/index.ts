/** The flow engine: pure (no I/O, no clock); the app layer loads files, persists state and performs effects. */
export type {
  AnswerValue,
  CompiledFlow,
  Effect,
  FlowInput,
  FlowState,
  FlowStatus,
  JsonValue,
  MemberRef,
  PendingEffect,
  Problem,
  Reply,
  StepResult,
} from './types.js';
export type { FlowDef, StepDef, FieldDef } from './schema.js';
export type { CompileResult } from './compileFlow.js';
export type { StepArgs } from './step.js';
export type { ReconcileArgs, ReconcileResult } from './reconcile.js';
export type { Expr, ExprValue } from './expressions.js';
export { FlowFileSchema, flowJsonSchema } from './schema.js';
export { FlowStateSchema } from './flowStateSchema.js';
export { compileFlow, parseFlowYaml, hashFlowDef, canonicalJson } from './compileFlow.js';
export { lintFlow } from './lintFlow.js';
export { step, initialState } from './step.js';
export { matchTrigger, mayStart } from './triggers.js';
export type { TriggerOptions, TriggerRole } from './triggers.js';
export { reconcileState, isExpired, DEFAULT_IDLE_MS } from './reconcile.js';
export { parseExpr, checkExpr, evalExpr } from './expressions.js';
export { parseDate, parseDateTime } from './parseDate.js';
export { parseTime } from './parseTime.js';
export { normalizeText, normalizeWidth } from './normalize.js';
export {
  confirmSubject,
  containedOption,
  parseConfirm,
  parseChineseInt,
  parseChoice,
  parseMultiChoice,
  parseNumber,
  parseNumberInSentence,
  isSkipAnswer,
  parseIndex,
} from './parseAnswer.js';
export { renderTemplate } from './templates.js';
export { renderOptions } from './render.js';
export {
  askedQuestions,
  isSurveyDocument,
  parseSurvey,
  surveyToFlowDef,
  surveyJsonSchema,
  SurveyFileSchema,
  QUESTION_TYPES,
} from './survey.js';
export type {
  QuestionType,
  SurveyDef,
  SurveyFile,
  SurveyOption,
  SurveyParse,
  SurveyQuestion,
} from './survey.js';
