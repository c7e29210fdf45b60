import { parseShanghaiTime } from '../../../shared/chinaTime.js';
import {
  NOTICE_KINDS,
  type AudienceCandidate,
  type NoticeAudience,
  type NoticeDraft,
  type NoticeKind,
  type NoticeProblem,
} from './types.js';

/**
 * Field limits follow what a button_interaction card shows without cutting (WeCom doc 90236 template card
 * fields: main_title.title "建议不超过26个字", sub_title_text "建议不超过112个字", horizontal_content_list value
 * "建议不超过26个字").
 */
export const NOTICE_LIMITS = { title: 26, place: 26, content: 112 } as const;

/** A notice as it comes in (admin API body, or a flow's answers already mapped); anything may be wrong. */
export interface NoticeInput {
  title?: unknown;
  kind?: unknown;
  startsAt?: unknown;
  place?: unknown;
  content?: unknown;
  audience?: unknown;
  replyBy?: unknown;
  leaveNeedsReason?: unknown;
}

export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && NOTICE_KINDS.some((k) => k === value);
}

/** Validates every field and reports every problem at once (Chinese, for staff). */
export function validateNoticeInput(
  input: NoticeInput,
  now: Date,
): { ok: true; draft: NoticeDraft } | { ok: false; problems: NoticeProblem[] } {
  const problems: NoticeProblem[] = [];
  const bad = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const title = text(input.title, 'title', '标题', NOTICE_LIMITS.title, bad);
  const place = text(input.place, 'place', '地点', NOTICE_LIMITS.place, bad);
  const content = text(input.content, 'content', '内容', NOTICE_LIMITS.content, bad);
  let kind: NoticeKind = '其他';
  if (isNoticeKind(input.kind)) kind = input.kind;
  else bad('kind', `类型应为以下之一：${NOTICE_KINDS.join('、')}`);

  const startsAt = time(input.startsAt, 'startsAt', '开始时间', 'reject', bad);
  const replyBy = time(input.replyBy, 'replyBy', '回执截止时间', 'endOfDay', bad);
  if (startsAt && startsAt.getTime() <= now.getTime()) bad('startsAt', '开始时间已过，请填写将来的时间');
  if (replyBy && replyBy.getTime() <= now.getTime()) bad('replyBy', '回执截止时间已过，请填写将来的时间');
  if (startsAt && replyBy && replyBy.getTime() > startsAt.getTime())
    bad('replyBy', '回执截止时间不能晚于开始时间');

  let leaveNeedsReason = false;
  if (typeof input.leaveNeedsReason === 'boolean') leaveNeedsReason = input.leaveNeedsReason;
  else if (input.leaveNeedsReason !== undefined && input.leaveNeedsReason !== null)
    bad('leaveNeedsReason', '请假是否须说明事由应为 true 或 false');

  const audience = parseAudience(input.audience, bad);
  if (problems.length > 0 || !startsAt || !replyBy || !audience) return { ok: false, problems };
  return {
    ok: true,
    draft: { title, kind, startsAt, place, content, audience, replyBy, leaveNeedsReason },
  };
}

type Bad = (field: string, message: string) => void;

function text(value: unknown, field: string, label: string, max: number, bad: Bad): string {
  if (typeof value !== 'string' || value.trim() === '') {
    bad(field, `${label}不能为空`);
    return '';
  }
  const t = value.trim();
  if ([...t].length > max) bad(field, `${label}不能超过 ${max} 个字（现有 ${[...t].length} 个字）`);
  return t;
}

function time(
  value: unknown,
  field: string,
  label: string,
  dateOnly: 'reject' | 'endOfDay',
  bad: Bad,
): Date | null {
  if (typeof value !== 'string' || value.trim() === '') {
    bad(field, `${label}不能为空`);
    return null;
  }
  const d = parseShanghaiTime(value, dateOnly);
  if (!d) {
    const format = dateOnly === 'reject' ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD 或 YYYY-MM-DD HH:mm';
    bad(field, `${label}「${value}」无法识别，格式应为 ${format}（北京时间）`);
  }
  return d;
}

function names(value: unknown, field: string, label: string, bad: Bad): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    bad(field, `${label}应为非空文字的列表`);
    return [];
  }
  return [...new Set(value.map((v: string) => v.trim()))];
}

function parseAudience(value: unknown, bad: Bad): NoticeAudience | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad(
      'audience',
      '请指定发送对象：all（全体委员）、sectors（界别）、committees（专委会）或 userids（指定委员）',
    );
    return null;
  }
  const get = (k: string): unknown => Reflect.get(value, k);
  const all = get('all');
  if (all !== undefined && typeof all !== 'boolean') bad('audience.all', 'all 应为 true 或 false');
  const sectors = names(get('sectors'), 'audience.sectors', '界别', bad);
  const committees = names(get('committees'), 'audience.committees', '专委会', bad);
  const userIds = names(get('userids') ?? get('userIds'), 'audience.userids', '委员账号', bad);
  if (userIds.some((id) => id.includes('|'))) bad('audience.userids', '委员账号不能包含「|」');
  const audience = { all: all === true, sectors, committees, userIds };
  if (!audience.all && sectors.length + committees.length + userIds.length === 0) {
    bad('audience', '发送对象为空：请选择全体委员，或至少一个界别、专委会或委员');
    return null;
  }
  return audience;
}

/** Names in the audience that match nobody who could receive it (typos in 界别 / 专委会 / userids). */
export function checkAudience(
  candidates: readonly AudienceCandidate[],
  audience: NoticeAudience,
): NoticeProblem[] {
  const active = candidates.filter((c) => c.active);
  const problems: NoticeProblem[] = [];
  const noSector = audience.sectors.filter((s) => !active.some((c) => c.role === 'member' && c.sector === s));
  if (noSector.length > 0)
    problems.push({ field: 'audience.sectors', message: `以下界别没有在册委员：${noSector.join('、')}` });
  const noCommittee = audience.committees.filter(
    (s) => !active.some((c) => c.role === 'member' && c.committee === s),
  );
  if (noCommittee.length > 0)
    problems.push({
      field: 'audience.committees',
      message: `以下专委会没有在册委员：${noCommittee.join('、')}`,
    });
  const unknown = audience.userIds.filter((id) => !active.some((c) => c.userId === id));
  if (unknown.length > 0)
    problems.push({ field: 'audience.userids', message: `以下账号不是在册成员：${unknown.join('、')}` });
  return problems;
}

/** The recipients of an audience, each once, ordered by userid (stable batches). */
export function resolveAudience(
  candidates: readonly AudienceCandidate[],
  audience: NoticeAudience,
): { userId: string; name: string }[] {
  const chosen = candidates.filter((c) => {
    if (!c.active) return false;
    if (audience.userIds.includes(c.userId)) return true;
    if (c.role !== 'member') return false;
    return (
      audience.all ||
      (c.sector !== null && audience.sectors.includes(c.sector)) ||
      (c.committee !== null && audience.committees.includes(c.committee))
    );
  });
  return chosen
    .map((c) => ({ userId: c.userId, name: c.name }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** 全体委员 / 经济界、教育界 / 提案委员会 / 张三等 3 人. */
export function describeAudience(audience: NoticeAudience): string {
  const parts: string[] = [];
  if (audience.all) parts.push('全体委员');
  if (audience.sectors.length > 0) parts.push(`界别：${audience.sectors.join('、')}`);
  if (audience.committees.length > 0) parts.push(`专委会：${audience.committees.join('、')}`);
  if (audience.userIds.length > 0) parts.push(`指定 ${audience.userIds.length} 人`);
  return parts.join('；');
}
