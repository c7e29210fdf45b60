import { z } from 'zod';

/**
 * The flow-file format (YAML authored, validated here). No `.default()` and no transforms, so the input and output
 * types are the same and `z.toJSONSchema` describes exactly what an author writes; the engine applies defaults.
 * Strict objects: a misspelt key is an error, not a silently ignored setting.
 */
const StepId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, '步骤 id 只能由字母、数字、下划线组成，且以字母开头');
const FieldName = z
  .string()
  .regex(/^[a-z][A-Za-z0-9_]*$/, '字段名只能由字母、数字、下划线组成，且以小写字母开头');
const Text = z.string();
const Words = z.array(z.string().min(1));
const DateBound = z.union([z.literal('today'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]);

/** Reprompt ladder and retry cap shared by every step that waits for an answer. */
const ladder = {
  /** Shown on 帮助, followed by the question again. */
  help: Text.optional(),
  /** reprompts[0] after the first invalid answer, reprompts[1] (a clearer wording) after the second and later. */
  reprompts: z.array(Text).optional(),
  /** Invalid answers tolerated; the next one exhausts the step. Default 3. */
  maxRetries: z.number().int().min(0).max(10).optional(),
  /** Step to go to when exhausted; without it the conversation ends (status cancelled, draft kept). */
  onExhausted: StepId.optional(),
  exhaustedText: Text.optional(),
};

/** Input steps store their answer in `field` and continue at `next` (default: the following step in the list). */
const input = {
  id: StepId,
  field: FieldName,
  prompt: Text.optional(),
  next: StepId.optional(),
  /**
   * Ask afresh even when the field is answered: not skipped on the way back to a summary, and shown without the
   * current value. For a second step on a field, e.g. "please rewrite" after a failed check, or a lookup loop.
   */
  reask: z.boolean().optional(),
  ...ladder,
};

const ChoiceOption = z.strictObject({
  value: z.string().min(1),
  label: z.string().min(1),
  synonyms: Words.optional(),
});

export const AskStepSchema = z.strictObject({
  type: z.literal('ask'),
  ...input,
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().positive().optional(),
  /** A regular expression the whole answer must match (tested, never executed as code). */
  pattern: z.string().optional(),
  /** Why a pattern mismatch failed, in words the user understands. */
  patternHint: Text.optional(),
});
export const ChoiceStepSchema = z.strictObject({
  type: z.literal('choice'),
  ...input,
  options: z.array(ChoiceOption).min(1),
  /**
   * Free text typed instead of choosing (「那天要去省里出差」) is accepted: it picks the one option it names, else
   * `fallback`, and the whole text is also stored in `field` (cleared when an option is chosen plainly), so a later
   * question for that text can be skipped with `empty(field)`. Texts shorter than minLength (default 2) are refused.
   */
  freeText: z
    .strictObject({
      field: FieldName,
      fallback: z.string().min(1),
      minLength: z.number().int().min(1).optional(),
    })
    .optional(),
});
export const MultiStepSchema = z.strictObject({
  type: z.literal('multi'),
  ...input,
  options: z.array(ChoiceOption).min(1),
  minItems: z.number().int().min(0).optional(),
  maxItems: z.number().int().positive().optional(),
});
export const NumberStepSchema = z.strictObject({
  type: z.literal('number'),
  ...input,
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
});
export const DateStepSchema = z.strictObject({
  type: z.literal('date'),
  ...input,
  min: DateBound.optional(),
  max: DateBound.optional(),
});
/** A time of day, stored as 'HH:mm' (24-hour); accepts 14:30, 14：30, 下午2点, 九点半. */
export const TimeStepSchema = z.strictObject({ type: z.literal('time'), ...input });
/**
 * Emits `members.search { query, role? }`; the app answers `{ members: [{ userId, name, dept? }] }`. A member already
 * picked in another field of the flow is refused (no one is added twice); while editing from a summary, 无 / 不要 /
 * 删除 clears the field.
 */
export const MemberStepSchema = z.strictObject({
  type: z.literal('member'),
  ...input,
  /** Only people of this role are offered (e.g. `member` for 联名: not staff); default: anyone active. */
  searchRole: z.enum(['member', 'staff']).optional(),
});
export const ConfirmStepSchema = z.strictObject({
  type: z.literal('confirm'),
  id: StepId,
  field: FieldName.optional(),
  prompt: Text.optional(),
  yes: StepId,
  no: StepId,
  ...ladder,
});
export const SummaryStepSchema = z.strictObject({
  type: z.literal('summary'),
  id: StepId,
  /** Heading above the numbered answers. */
  prompt: Text.optional(),
  /** Fields listed (and editable by number); default: every field owned by an input step other than confirm. */
  fields: z.array(FieldName).optional(),
  /** Leave unanswered fields out of the list (and out of the 修改 N numbering); 改<label> still reaches them. */
  hideEmpty: z.boolean().optional(),
  onConfirm: StepId,
  ...ladder,
});
export const BranchStepSchema = z.strictObject({
  type: z.literal('branch'),
  id: StepId,
  cases: z.array(z.strictObject({ when: z.string().min(1), goto: StepId })).min(1),
  else: StepId,
});
export const ActionStepSchema = z.strictObject({
  type: z.literal('action'),
  id: StepId,
  /** Effect type the app performs, e.g. `proposal.submit`. */
  effect: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/, '效果类型形如 proposal.submit'),
  /** Payload entries; each value is a template (`{{field}}`). */
  payload: z.record(z.string(), Text).optional(),
  /** Adds `answers` (all answers) to the payload. */
  includeAnswers: z.boolean().optional(),
  /** Marks a submit-type action (default: effect names ending in `.submit`); must sit behind a confirm. */
  submit: z.boolean().optional(),
  /** Copies scalar properties of the result data into fields: `{ field: dataProperty }`. */
  saveAs: z.record(FieldName, z.string().min(1)).optional(),
  /** Optional text sent when the action starts (e.g. 正在提交…). */
  text: Text.optional(),
  next: StepId.optional(),
  onError: StepId.optional(),
});
export const MessageStepSchema = z.strictObject({
  type: z.literal('message'),
  id: StepId,
  text: Text.optional(),
  next: StepId.optional(),
});
export const EndStepSchema = z.strictObject({
  type: z.literal('end'),
  id: StepId,
  text: Text.optional(),
  status: z.enum(['done', 'cancelled']).optional(),
});

export const StepSchema = z.discriminatedUnion('type', [
  AskStepSchema,
  ChoiceStepSchema,
  MultiStepSchema,
  NumberStepSchema,
  DateStepSchema,
  TimeStepSchema,
  MemberStepSchema,
  ConfirmStepSchema,
  SummaryStepSchema,
  BranchStepSchema,
  ActionStepSchema,
  MessageStepSchema,
  EndStepSchema,
]);

export const FieldSchema = z.strictObject({
  label: z.string().min(1),
  /** Fields whose answers become invalid when this one changes are those that list it here (plus branch inference). */
  dependsOn: z.array(FieldName).optional(),
  pii: z.enum(['none', 'masked', 'sensitive']).optional(),
});

export const FlowFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, '流程 id 只能由小写字母、数字、下划线组成'),
  version: z.number().int().positive(),
  title: z.string().min(1),
  triggers: z
    .strictObject({
      keywords: Words.optional(),
      menuKeys: Words.optional(),
      /** Everyday ways of asking for the flow; the matcher learns from them (exact keywords still win). */
      examples: Words.optional(),
    })
    .optional(),
  /**
   * A query (我的提案, 帮助) that may run in the middle of another flow when its keyword is typed there: it is
   * answered, then the open question is asked again.
   */
  interrupts: z.boolean().optional(),
  /**
   * Who may start the flow by keyword or menu: all (default) | staff (工作人员 only; never started for a member) |
   * unit (承办单位 contacts only: 签收, 答复 …).
   */
  audience: z.enum(['all', 'staff', 'unit']).optional(),
  /** What happens to a conversation started on another version: keep (default) | migrate | restart. */
  flowChangePolicy: z.enum(['keep', 'migrate', 'restart']).optional(),
  /** Command synonyms; each list given replaces the default list for that command. */
  commands: z
    .strictObject({
      cancel: Words.optional(),
      back: Words.optional(),
      help: Words.optional(),
      restart: Words.optional(),
      keep: Words.optional(),
    })
    .optional(),
  /** Overrides of the engine's stock sentences. */
  texts: z
    .strictObject({
      cancelled: Text.optional(),
      exhausted: Text.optional(),
      busy: Text.optional(),
      help: Text.optional(),
      restarted: Text.optional(),
      actionFailed: Text.optional(),
    })
    .optional(),
  fields: z.record(FieldName, FieldSchema),
  start: StepId,
  steps: z.array(StepSchema).min(1),
});

export type FlowDef = z.infer<typeof FlowFileSchema>;
export type StepDef = z.infer<typeof StepSchema>;
export type FieldDef = z.infer<typeof FieldSchema>;
export type ChoiceOptionDef = z.infer<typeof ChoiceOption>;
export type InputStepDef = Extract<
  StepDef,
  { type: 'ask' | 'choice' | 'multi' | 'number' | 'date' | 'time' | 'member' }
>;

/** JSON Schema of the flow-file format, for editors (yaml-language-server) and the admin UI. */
export function flowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FlowFileSchema, { io: 'input' });
}
