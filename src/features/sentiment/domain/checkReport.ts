/**
 * The rules of a 社情民意 report a machine can check. Errors block the submission (lengths, an empty analysis or
 * suggestion copied from the situation); warnings explain a risk the member may confirm past — above all 一事一报:
 * one report, one matter. Heuristic and pure; messages are Chinese, ready to show.
 */

export type ReportField = 'title' | 'situation' | 'analysis' | 'suggestions';

export interface ReportDraft {
  title: string;
  /** 基本情况. */
  situation: string;
  /** 分析. */
  analysis: string;
  /** 建议. */
  suggestions: string;
}

export interface ReportCheckMessage {
  field: ReportField;
  message: string;
}

export interface ReportCheck {
  errors: ReportCheckMessage[];
  warnings: ReportCheckMessage[];
}

/** Lengths in characters; the flow's ask steps use the same bounds. A 社情民意 is short: about 1000 字 in all. */
export const REPORT_LIMITS = {
  title: { min: 5, max: 40 },
  situation: { min: 20, max: 1500 },
  analysis: { min: 10, max: 1000 },
  suggestions: { min: 10, max: 1000 },
  /** Above this (all parts) the member is advised to shorten. */
  advisedTotal: 2000,
} as const;

export const REPORT_FIELD_LABELS: Readonly<Record<ReportField, string>> = {
  title: '标题',
  situation: '基本情况',
  analysis: '分析',
  suggestions: '建议',
};

const chars = (s: string): number => [...s.trim()].length;
const squash = (s: string): string => s.replace(/[\s，。、；：！？,.;:!?]/g, '');

/** Words that join two matters in a title: 「A和B问题」「A及B」「A、B等问题」. */
const TITLE_JOINERS = /(以及|及|和|与|并|、|；|;)/u;
/** Markers of several separate problems listed in the 基本情况: 一是…二是…三是, 问题一 / 问题二. */
const MANY_PROBLEMS = /(一是[\s\S]*二是[\s\S]*三是)|(问题一[\s\S]*问题二)|(另外还有一个问题)|(另一个问题)/u;

/** Checks a report draft against the rules; earlierTitles are the reporter's own earlier reports (duplicates). */
export function checkReport(draft: ReportDraft, earlierTitles: readonly string[] = []): ReportCheck {
  const errors: ReportCheckMessage[] = [];
  const warnings: ReportCheckMessage[] = [];
  for (const field of ['title', 'situation', 'analysis', 'suggestions'] as const) {
    const n = chars(draft[field]);
    const { min, max } = REPORT_LIMITS[field];
    if (n < min || n > max)
      errors.push({
        field,
        message: `${REPORT_FIELD_LABELS[field]}应为 ${min}-${max} 字，现在是 ${n} 字。`,
      });
  }
  const situation = squash(draft.situation);
  if (errors.length === 0) {
    if (squash(draft.analysis) === situation)
      errors.push({ field: 'analysis', message: '分析与基本情况相同，请写出问题的原因和影响。' });
    if (squash(draft.suggestions) === situation)
      errors.push({ field: 'suggestions', message: '建议与基本情况相同，请写出具体可行的建议。' });
    if (
      /^(希望|请)?(领导|有关部门|相关部门)?(重视|关注|尽快解决|予以解决)[。！!]*$/u.test(
        draft.suggestions.trim(),
      )
    )
      errors.push({
        field: 'suggestions',
        message: '建议要具体，写明由谁、做什么，不能只写「希望重视」「尽快解决」。',
      });
  }
  const title = squash(draft.title);
  if (earlierTitles.some((t) => squash(t) === title))
    errors.push({ field: 'title', message: '您已经报送过同一标题的社情民意，请不要重复报送。' });
  // 一事一报: a title joining two matters, or a situation listing several separate problems.
  const core = title.replace(/^关于/, '').replace(/的?(问题|建议|情况|反映)$/, '');
  if (TITLE_JOINERS.test(core) && /(问题|困难|现象)/u.test(core))
    warnings.push({
      field: 'title',
      message: '标题看起来包含不止一件事。社情民意要求一事一报，如有几件事，请分开报送。',
    });
  else if (/等(多个|几个|诸多|一系列)?问题/u.test(core))
    warnings.push({
      field: 'title',
      message: '标题中的「等问题」说明可能涉及多件事。社情民意要求一事一报。',
    });
  if (MANY_PROBLEMS.test(draft.situation))
    warnings.push({
      field: 'situation',
      message: '基本情况列出了几个不同的问题。社情民意要求一事一报，建议只保留一件，其余另行报送。',
    });
  const total = [draft.title, draft.situation, draft.analysis, draft.suggestions].reduce(
    (n, s) => n + chars(s),
    0,
  );
  if (total > REPORT_LIMITS.advisedTotal)
    warnings.push({
      field: 'situation',
      message: `全文约 ${total} 字。社情民意以简明为要，一般不超过 ${REPORT_LIMITS.advisedTotal} 字。`,
    });
  return { errors, warnings };
}
