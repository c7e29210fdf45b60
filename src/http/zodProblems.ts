import type { z } from 'zod';
import { assertNever, type FieldProblem } from '../shared/errors.js';

/** The field name of the body as a whole (not an object, not JSON). */
export const BODY_FIELD = '(body)';

/**
 * Chinese messages for zod's own issues, passed per parse so that a schema's explicit messages (and the
 * features' refinements) still win.
 */
export const chineseIssueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '缺少此字段' : `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `应为以下之一：${issue.values.map(String).join('、')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `不能少于 ${issue.minimum} 个字`
        : issue.origin === 'array'
          ? `至少应有 ${issue.minimum} 项`
          : `不能小于 ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `不能超过 ${issue.maximum} 个字`
        : issue.origin === 'array'
          ? `最多 ${issue.maximum} 项`
          : `不能大于 ${issue.maximum}`;
    case 'invalid_format':
      return '格式不正确';
    case 'unrecognized_keys':
      return `未知字段：${issue.keys.join('、')}`;
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return '取值不合法';
    default:
      return assertNever(issue, 'zod issue');
  }
};

const TYPE_NAMES: Partial<Record<string, string>> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: ' true 或 false',
  array: '列表',
  object: ' JSON 对象',
  null: ' null',
};

/** Every issue as a field problem; an unknown field is one problem of its own, named by its path. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: `未知字段「${key}」` }));
    return [{ field: path.length === 0 ? BODY_FIELD : path.join('.'), message: issue.message }];
  });
}
