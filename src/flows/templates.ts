import type { AnswerValue, CompiledFlow } from './types.js';
import { formatDateCn } from './parseDate.js';

/**
 * `{{field}}` → the raw answer; `{{field.label}}` → the answer as shown to people (option label, 2026年12月1日,
 * member name, 是/否); `{{field.id}}` → a picked member's userId (other answers: raw), for effect payloads.
 * A trailing `?` (`{{sectors?}}`, `{{pick2.id?}}`) says the field may be unanswered on some paths and '' is meant
 * then: the linter does not ask for it to be set first. Substituted values are never expanded again, and nothing
 * but a field name fits inside the braces, so user text cannot inject template syntax or code. Unanswered fields
 * render as ''.
 */
const TEMPLATE = /\{\{\s*([a-z][A-Za-z0-9_]*)(\.label|\.id)?(\?)?\s*\}\}/g;

/** Fields a text reads; with `required`, only those without the `?` mark (which must be set before the text). */
export function templateRefs(text: string, required = false): string[] {
  return [...text.matchAll(TEMPLATE)].flatMap((m) =>
    m[1] === undefined || (required && m[3] !== undefined) ? [] : [m[1]],
  );
}

export function renderTemplate(
  text: string,
  answers: Readonly<Record<string, AnswerValue>>,
  flow: CompiledFlow,
): string {
  return text.replace(TEMPLATE, (_all, field: string, suffix: string | undefined) => {
    if (!Object.hasOwn(answers, field)) return '';
    const value = answers[field];
    if (value === undefined) return '';
    if (suffix === '.label') return displayAnswer(flow, field, value);
    if (suffix === '.id' && typeof value === 'object' && !Array.isArray(value)) return value.userId;
    return rawAnswer(value);
  });
}

export function rawAnswer(value: AnswerValue): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return value.name;
  return String(value);
}

/** The answer as a person reads it, using the owner step's options and formats. */
export function displayAnswer(flow: CompiledFlow, field: string, value: AnswerValue): string {
  const ownerId = flow.owners.get(field);
  const owner = ownerId === undefined ? undefined : flow.steps.get(ownerId);
  // Options of every choice step asking this field (one per branch path, say), the owner's first.
  const options = [owner, ...flow.steps.values()].flatMap((st) =>
    (st?.type === 'choice' || st?.type === 'multi') && st.field === field ? st.options : [],
  );
  const labelOf = (v: string): string => options.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(labelOf).join('、');
  if (typeof value === 'object') return value.dept ? `${value.name}（${value.dept}）` : value.name;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return String(value);
  if (owner?.type === 'date') return formatDateCn(value);
  return labelOf(value);
}

/** UTF-8 length, counted by hand so the module needs no TextEncoder. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The engine's promise about its replies: none is longer than this many UTF-8 bytes (longer texts are split, and
 * lintFlow rejects flow texts over it). It is the channel's text limit, WeCom's `TEXT_MAX_BYTES` (wecom/limits.ts,
 * the owner of that fact); flows/ stays independent of wecom/, so the engine states its own cap and
 * test/unit/wecom/limits.test.ts holds the two equal.
 */
export const REPLY_MAX_BYTES = 2048;

/** Splits a text at line breaks (or, for an over-long line, at characters) into pieces within `limit` bytes. */
export function splitText(text: string, limit = REPLY_MAX_BYTES): string[] {
  if (utf8Bytes(text) <= limit) return [text];
  const pieces: string[] = [];
  let current = '';
  const push = (): void => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (utf8Bytes(candidate) <= limit) {
      current = candidate;
      continue;
    }
    push();
    for (const ch of line) {
      if (utf8Bytes(current + ch) > limit) push();
      current += ch;
    }
  }
  push();
  return pieces;
}
