import { parse } from 'yaml';
import { z } from 'zod';

/**
 * flows/faq.yaml: questions staff can edit (wording, examples, answers) without a release. Strict like the flow
 * files: a misspelt key is an error at start-up and in `npm run flows:check`, not a silently ignored setting.
 */
const FaqEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, '问答 id 只能由小写字母、数字、下划线组成'),
  /** The question as offered in 「您是想：…」. */
  question: z.string().min(1),
  /** How people ask it (the matcher learns from these). */
  examples: z.array(z.string().min(1)).min(3, '至少写 3 种问法'),
  answer: z.string().min(1),
  /** staff: only 工作人员 get this answer. Default all. */
  audience: z.enum(['all', 'staff']).optional(),
});

export const FaqFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  entries: z.array(FaqEntrySchema),
});

export type FaqEntry = z.infer<typeof FaqEntrySchema>;

export type FaqParse = { ok: true; entries: FaqEntry[] } | { ok: false; problems: string[] };

/** Parses and validates the FAQ file's text; problems are named `path: message`, as for the flows. */
export function parseFaqYaml(text: string): FaqParse {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [`(文件): YAML 格式错误：${err instanceof Error ? err.message : String(err)}`],
    };
  }
  const parsed = FaqFileSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(文件)'}: ${i.message}`),
    };
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  parsed.data.entries.forEach((e, i) => {
    if (seen.has(e.id)) problems.push(`entries.${i}.id: 问答 id「${e.id}」重复`);
    seen.add(e.id);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries: parsed.data.entries };
}
