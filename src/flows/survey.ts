import { z } from 'zod';
import { parseShanghaiTime } from '../shared/chinaTime.js';
import type { FlowDef, InputStepDef, StepDef } from './schema.js';
import type { AnswerValue, Problem } from './types.js';
import { exprValue } from './answers.js';
import { evalExpr, isTruthy, parseExpr } from './expressions.js';

/**
 * A survey (民意征集) is a flow of kind `survey`: a questionnaire written as questions, not steps. It is compiled
 * here into an ordinary flow definition (`surveyToFlowDef`), so the engine, the linter, the transcript tests and
 * the pinning of live conversations treat it like any other flow. Pure: no clock, no I/O.
 */

const QuestionId = z
  .string()
  .regex(/^[a-z][A-Za-z0-9_]*$/, '题目 id 只能由字母、数字、下划线组成，且以小写字母开头')
  .refine((id) => !RESERVED_FIELDS.includes(id), '这个题目 id 留作内部使用，请换一个');
const ShanghaiTime = z
  .string()
  .refine((t) => parseShanghaiTime(t, 'endOfDay') !== null, '时间格式应为 YYYY-MM-DD HH:mm（北京时间）');

const Option = z.union([
  z.string().min(1),
  z.strictObject({
    label: z.string().min(1),
    value: z.string().min(1).optional(),
    synonyms: z.array(z.string().min(1)).optional(),
  }),
]);

export const QUESTION_TYPES = ['single', 'multiple', 'rating', 'number', 'shortText', 'longText'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const QuestionSchema = z.strictObject({
  id: QuestionId,
  /** single 单选 | multiple 多选 | rating 1–5 分 | number 数字 | shortText 短文本 | longText 长文本. */
  type: z.enum(QUESTION_TYPES),
  /** The question as asked. */
  title: z.string().min(1),
  /** Short name in summaries and results (default: the title). */
  label: z.string().min(1).optional(),
  /** Default true. An optional question takes 跳过 / 不想说 / 不愿透露 as "no answer". */
  required: z.boolean().optional(),
  /** A demographic question (乡镇/街道, 年龄段): results can be broken down by it. */
  demographic: z.enum(['town', 'ageGroup']).optional(),
  /** single / multiple: at most 10 (a 微信客服 menu shows no more). */
  options: z.array(Option).min(2).max(10).optional(),
  minItems: z.number().int().min(1).optional(),
  maxItems: z.number().int().min(1).optional(),
  /** number: bounds and whether decimals are allowed (default integers only). */
  min: z.number().optional(),
  max: z.number().optional(),
  decimals: z.boolean().optional(),
  /** shortText / longText: at most this many characters (default 100 / 1000). */
  maxLength: z.number().int().positive().max(2000).optional(),
  /** Skip logic: asked only when this condition on earlier answers holds (e.g. `rating <= 2`). */
  when: z.string().min(1).optional(),
  /** Shown on 帮助. */
  help: z.string().optional(),
});

export const SurveyFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('survey'),
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, '问卷 id 只能由小写字母、数字、下划线组成'),
  version: z.number().int().positive(),
  title: z.string().min(1).max(60),
  intro: z.string().min(1),
  /** Not answered before this time even when opened earlier (北京时间). Optional. */
  opens: ShanghaiTime.optional(),
  /** Closing time (北京时间); staff may give another one when they open it. */
  closes: ShanghaiTime,
  /** The 客服 link's scene (letters, digits, _ and -, at most 32). */
  scene: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'scene 只能由字母、数字、_、- 组成，最多 32 个字符'),
  /** Whether someone who answered may revise their answers until the closing time (default true). */
  allowRevise: z.boolean().optional(),
  /** Words (and everyday sentences) members type in the WeCom app to take the survey. */
  keywords: z.array(z.string().min(1)).optional(),
  examples: z.array(z.string().min(1)).optional(),
  /** Said after the answers are saved. */
  thanks: z.string().min(1).optional(),
  questions: z.array(QuestionSchema).min(1).max(40),
});

export type SurveyFile = z.infer<typeof SurveyFileSchema>;

/** JSON Schema of the survey-file format, for editors (`flows/surveys/survey.schema.json`). */
export function surveyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SurveyFileSchema, { io: 'input', unrepresentable: 'any' });
}
export type SurveyQuestionDef = z.infer<typeof QuestionSchema>;

/** An option with its value settled (a plain string option is its own value). */
export interface SurveyOption {
  value: string;
  label: string;
  synonyms?: string[];
}

/** A survey as the app uses it: the file's settings, times parsed, options settled. */
export interface SurveyDef {
  id: string;
  version: number;
  title: string;
  intro: string;
  opens: Date | null;
  closes: Date;
  scene: string;
  allowRevise: boolean;
  questions: SurveyQuestion[];
}

export interface SurveyQuestion {
  id: string;
  type: QuestionType;
  title: string;
  label: string;
  required: boolean;
  demographic: 'town' | 'ageGroup' | null;
  options: SurveyOption[];
  when: string | null;
}

/** Fields the compiled flow keeps besides the answers (what the app said about the survey and this person). */
const RESERVED_FIELDS: readonly string[] = ['surveyStatus', 'closesOn', 'answeredOn', 'revise', 'saved'];

/** Whether a parsed YAML document is a survey (rather than a step-by-step flow). */
export function isSurveyDocument(input: unknown): boolean {
  return typeof input === 'object' && input !== null && Reflect.get(input, 'kind') === 'survey';
}

export type SurveyParse =
  { ok: true; survey: SurveyDef; file: SurveyFile } | { ok: false; problems: Problem[] };

/** Validates a survey document and checks what zod cannot (option values, item counts, conditions). */
export function parseSurvey(input: unknown): SurveyParse {
  const parsed = SurveyFileSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  const file = parsed.data;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const questions = file.questions.map((q, i): SurveyQuestion => {
    const at = `questions.${i}(${q.id})`;
    if (seen.has(q.id)) problems.push({ path: `${at}.id`, message: `题目 id「${q.id}」重复` });
    const choice = q.type === 'single' || q.type === 'multiple';
    if (choice && q.options === undefined)
      problems.push({ path: `${at}.options`, message: '单选、多选题需要 options' });
    if (!choice && q.options !== undefined)
      problems.push({ path: `${at}.options`, message: '只有单选、多选题有 options' });
    const options = (q.options ?? []).map((o) =>
      typeof o === 'string'
        ? { value: o, label: o }
        : { value: o.value ?? o.label, label: o.label, ...(o.synonyms ? { synonyms: o.synonyms } : {}) },
    );
    const values = options.map((o) => o.value);
    if (new Set(values).size !== values.length) problems.push({ path: `${at}.options`, message: '选项重复' });
    if (q.maxItems !== undefined && q.maxItems > options.length)
      problems.push({ path: `${at}.maxItems`, message: `最多只有 ${options.length} 个选项` });
    if (q.when !== undefined) {
      const expr = parseExpr(q.when);
      if (!expr.ok) problems.push({ path: `${at}.when`, message: `条件无法解析：${expr.error}` });
      else
        for (const ref of refsOf(q.when))
          if (!seen.has(ref))
            problems.push({ path: `${at}.when`, message: `条件只能引用前面的题目，「${ref}」不在前面` });
    }
    seen.add(q.id);
    return {
      id: q.id,
      type: q.type,
      title: q.title,
      label: q.label ?? q.title,
      required: q.required ?? true,
      demographic: q.demographic ?? null,
      options,
      when: q.when ?? null,
    };
  });
  const opens = file.opens === undefined ? null : parseShanghaiTime(file.opens, 'endOfDay');
  const closes = parseShanghaiTime(file.closes, 'endOfDay');
  if (closes === null) problems.push({ path: 'closes', message: '截止时间无效' });
  if (opens !== null && closes !== null && opens >= closes)
    problems.push({ path: 'opens', message: '开始时间应早于截止时间' });
  if (problems.length > 0 || closes === null) return { ok: false, problems };
  return {
    ok: true,
    file,
    survey: {
      id: file.id,
      version: file.version,
      title: file.title,
      intro: file.intro,
      opens,
      closes,
      scene: file.scene,
      allowRevise: file.allowRevise ?? true,
      questions,
    },
  };
}

/** Field names a condition reads (identifiers that are not functions or literals). */
function refsOf(when: string): string[] {
  const ids = when.replace(/'[^']*'|"[^"]*"/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return ids.filter((id) => !['len', 'empty', 'true', 'false'].includes(id));
}

/**
 * The questions a set of answers went through: those without a condition, and those whose condition holds on
 * the answers given before them. Answers to the others (left from before a change of mind) do not count.
 */
export function askedQuestions(
  survey: Pick<SurveyDef, 'questions'>,
  answers: Readonly<Record<string, AnswerValue>>,
): SurveyQuestion[] {
  const lookup = (field: string) => exprValue(Object.hasOwn(answers, field) ? answers[field] : undefined);
  return survey.questions.filter((q) => {
    if (q.when === null) return true;
    const expr = parseExpr(q.when);
    return expr.ok && isTruthy(evalExpr(expr.expr, lookup));
  });
}

const stepId = (q: { id: string }): string => `q_${q.id}`;
const condId = (q: { id: string }): string => `if_${q.id}`;
const entryOf = (q: SurveyQuestion): string => (q.when === null ? stepId(q) : condId(q));

/** The ways people type "skip" (for the prompt of optional questions). */
const SKIP_HINT = '（选答，不想回答可回复「跳过」）';

function questionStep(q: SurveyQuestion, n: number): InputStepDef {
  const head = `${n}. ${q.title}${q.required ? '' : SKIP_HINT}`;
  const base = {
    id: stepId(q),
    field: q.id,
    optional: !q.required,
  };
  switch (q.type) {
    case 'single':
      return { type: 'choice', ...base, prompt: head, options: q.options };
    case 'multiple':
      return { type: 'multi', ...base, prompt: head, options: q.options };
    case 'rating':
      return {
        type: 'number',
        ...base,
        prompt: `${head}\n请回复 1-5 分（5 分最高），如「4」或「给4分」。`,
        min: 1,
        max: 5,
        integer: true,
      };
    case 'number':
      return { type: 'number', ...base, prompt: head };
    case 'shortText':
      return { type: 'ask', ...base, prompt: head, maxLength: 100, truncate: false };
    case 'longText':
      return { type: 'ask', ...base, prompt: head, maxLength: 1000, truncate: false };
  }
}

/**
 * The flow a survey runs as:
 *   begin (surveys.begin: open? answered before?) → gate → [revise?] → intro → questions (with `if_<id>` branches
 *   for skip logic) → review (summary, 修改 N) → submit (surveys.submit) → thanks.
 * Closed, not yet open, or answered without revision allowed: a polite end. Every question id is a field.
 */
export function surveyToFlowDef(file: SurveyFile, survey: SurveyDef): FlowDef {
  const fields: FlowDef['fields'] = {
    surveyStatus: { label: '问卷状态' },
    closesOn: { label: '截止时间' },
    answeredOn: { label: '上次填写' },
    revise: { label: '是否修改' },
    saved: { label: '保存结果' },
  };
  for (const q of survey.questions)
    fields[q.id] = {
      label: q.label,
      ...(q.type === 'shortText' || q.type === 'longText' ? { pii: 'masked' } : {}),
    };

  const questionSteps: StepDef[] = [];
  const byId = new Map(file.questions.map((q) => [q.id, q]));
  survey.questions.forEach((q, i) => {
    const following = survey.questions[i + 1];
    const after = following === undefined ? 'review' : entryOf(following);
    if (q.when !== null)
      questionSteps.push({
        type: 'branch',
        id: condId(q),
        cases: [{ when: q.when, goto: stepId(q) }],
        else: after,
      });
    const st = questionStep(q, i + 1);
    const raw = byId.get(q.id);
    if (st.type === 'multi') {
      if (raw?.minItems !== undefined) st.minItems = raw.minItems;
      if (raw?.maxItems !== undefined) {
        st.maxItems = raw.maxItems;
        st.prompt = `${st.prompt ?? ''}（最多选 ${raw.maxItems} 项）`;
      }
    }
    if (st.type === 'number' && q.type === 'number') {
      if (raw?.min !== undefined) st.min = raw.min;
      if (raw?.max !== undefined) st.max = raw.max;
      st.integer = raw?.decimals !== true;
    }
    if (st.type === 'ask' && raw?.maxLength !== undefined) st.maxLength = raw.maxLength;
    if (raw?.help !== undefined) st.help = raw.help;
    st.next = after;
    questionSteps.push(st);
  });
  const first = survey.questions[0];
  const title = `《${survey.title}》`;

  // Someone who answered before: asked whether to answer again (until the closing time), or thanked.
  const revision: StepDef[] = survey.allowRevise
    ? [
        {
          type: 'confirm',
          id: 'ask_revise',
          field: 'revise',
          prompt: `您已于 {{answeredOn}} 填写过${title}，在截止（{{closesOn}}）前可以修改。要重新填写吗？（回复「是」重新填写，「否」保留原来的回答）`,
          yes: 'intro',
          no: 'end_kept',
        },
        { type: 'end', id: 'end_kept', text: '好的，保留您原来的回答。感谢参与！' },
      ]
    : [{ type: 'end', id: 'end_answered', text: `您已于 {{answeredOn}} 填写过${title}，感谢参与！` }];

  const steps: StepDef[] = [
    {
      type: 'action',
      id: 'begin',
      effect: 'surveys.begin',
      payload: { surveyId: survey.id },
      saveAs: { surveyStatus: 'status', closesOn: 'closesOn', answeredOn: 'answeredOn' },
      next: 'gate',
    },
    {
      type: 'branch',
      id: 'gate',
      cases: [
        { when: "surveyStatus == 'closed'", goto: 'end_closed' },
        { when: "surveyStatus == 'notOpen'", goto: 'end_not_open' },
        { when: "surveyStatus == 'answered'", goto: survey.allowRevise ? 'ask_revise' : 'end_answered' },
      ],
      else: 'intro',
    },
    ...revision,
    {
      type: 'message',
      id: 'intro',
      text: `${title}\n${survey.intro}\n共 ${survey.questions.length} 题，截止时间 {{closesOn}}。随时可发送「返回」改上一题、「取消」退出。`,
      next: first === undefined ? 'review' : entryOf(first),
    },
    ...questionSteps,
    {
      type: 'summary',
      id: 'review',
      prompt: '请核对您的回答：',
      fields: survey.questions.map((q) => q.id),
      hideEmpty: true,
      onConfirm: 'submit',
    },
    {
      type: 'action',
      id: 'submit',
      effect: 'surveys.submit',
      payload: { surveyId: survey.id },
      includeAnswers: true,
      saveAs: { saved: 'status' },
      next: 'after_submit',
    },
    {
      type: 'branch',
      id: 'after_submit',
      cases: [{ when: "saved == 'closed'", goto: 'end_closed' }],
      else: 'end_thanks',
    },
    {
      type: 'end',
      id: 'end_thanks',
      text: file.thanks ?? `感谢您参与${title}！您的意见已记录。`,
    },
    {
      type: 'end',
      id: 'end_closed',
      text: `${title}已于 {{closesOn}} 截止，感谢您的关注！`,
    },
    { type: 'end', id: 'end_not_open', text: `${title}还没有开始，敬请关注。` },
  ];
  return {
    schemaVersion: 1,
    id: survey.id,
    version: survey.version,
    title: survey.title,
    ...(file.keywords || file.examples
      ? {
          triggers: {
            ...(file.keywords ? { keywords: file.keywords } : {}),
            ...(file.examples ? { examples: file.examples } : {}),
          },
        }
      : {}),
    // A citizen may stop and come back while 微信客服 can still answer them (48 h after their last message).
    idleMinutes: 48 * 60,
    flowChangePolicy: 'migrate',
    texts: {
      cancelled: '已退出问卷，您的回答没有提交。需要时再发消息给我，可以重新填写。',
      exhausted: '多次没能识别您的回答，已退出问卷，您的回答没有提交。',
      actionFailed: '抱歉，保存没有成功，请稍后再试。',
      help: '请直接回复答案：选择题回复序号（多选如「2 5」），评分回复 1-5。发送「返回」改上一题，「取消」退出。',
    },
    fields,
    start: 'begin',
    steps,
  };
}
