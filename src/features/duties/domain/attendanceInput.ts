/**
 * What staff type when they register a meeting's attendance in chat: who was absent (names or numbers of the 参加
 * list), and who came without having answered 参加 (「赵六也来了」), or 「全部出席」. Pure.
 */
import { normalizeWidth } from '../../../flows/normalize.js';

export interface SheetPerson {
  userId: string;
  name: string;
  /** Their 回执: numbered on the sheet when 'attend'. */
  answer: 'attend' | 'leave' | null;
}

export type AttendanceInput =
  | {
      ok: true;
      /** Named absent. */
      absent: string[];
      /** Named present although they had not answered 参加. */
      extraPresent: string[];
    }
  | { ok: false; unknown: string[] };

const ALL_PRESENT =
  /^(?:全部|全都|都|全员|大家都|所有人都)(?:出席|到了|来了|到齐了?|参加了|到会)了?$|^(?:没有人?|无人?)缺席$|^(?:全到|到齐了?|无|没有)$/u;
const PRESENT_TAIL = /(?:也|都|还)?(?:来了|到了|出席了?|到会了?|参加了)$/u;
const PRESENT_HEAD = /^(?:另外|还有|补登)?(?:出席|到会|来了的?|到了的?)(?:的有|的是|有)?[:：]?/u;
const ABSENT_HEAD = /^(?:请)?(?:记|登记)?(?:缺席|没来|没到|未到|未出席|缺)(?:的有|的是|的|有)?[:：]?/u;
const ABSENT_TAIL = /(?:没来|没到|没有来|未到|缺席|没参加)了?$/u;

/** Reads the staff's answer against the sheet (attendees are numbered 1…n in the order given). */
export function parseAttendanceInput(text: string, sheet: readonly SheetPerson[]): AttendanceInput {
  const t = normalizeWidth(text).replace(/[。.!！]+$/u, '');
  if (ALL_PRESENT.test(t.replace(/\s/g, ''))) return { ok: true, absent: [], extraPresent: [] };
  const attendees = sheet.filter((p) => p.answer === 'attend');
  const absent = new Set<string>();
  const extraPresent = new Set<string>();
  const unknown: string[] = [];
  for (const raw of t.split(/[;；\n]+/u)) {
    let clause = raw.trim();
    if (clause === '') continue;
    let present = false;
    if (PRESENT_HEAD.test(clause)) {
      present = true;
      clause = clause.replace(PRESENT_HEAD, '');
    } else if (PRESENT_TAIL.test(clause) && !ABSENT_TAIL.test(clause)) {
      present = true;
      clause = clause.replace(PRESENT_TAIL, '');
    } else {
      clause = clause.replace(ABSENT_HEAD, '').replace(ABSENT_TAIL, '');
    }
    for (const token of clause.split(/[、,，\s]+/u)) {
      if (token.trim() === '') continue;
      // 「张三和李四」: split on 和/及/与/跟 only when the whole is not someone's name.
      const parts = find(token, sheet, attendees) ? [token] : token.split(/和|及|与|跟/u);
      for (const part of parts) {
        if (part.trim() === '') continue;
        const person = find(part, sheet, attendees);
        if (!person) unknown.push(part.trim());
        else (present ? extraPresent : absent).add(person.userId);
      }
    }
  }
  if (unknown.length > 0) return { ok: false, unknown };
  for (const id of absent) extraPresent.delete(id);
  // 「赵六也来了」 for someone who had answered 参加 changes nothing: they are present anyway.
  const attending = new Set(attendees.map((p) => p.userId));
  return {
    ok: true,
    absent: [...absent],
    extraPresent: [...extraPresent].filter((id) => !attending.has(id)),
  };
}

function find(
  token: string,
  sheet: readonly SheetPerson[],
  attendees: readonly SheetPerson[],
): SheetPerson | undefined {
  const name = token
    .trim()
    .replace(/^第/u, '')
    .replace(/(?:委员|同志)$/u, '')
    .replace(/[号个位]$/u, '');
  if (name === '') return undefined;
  if (/^\d+$/.test(name)) return attendees[Number(name) - 1];
  return sheet.find((p) => p.name === name) ?? sheet.find((p) => p.userId === name);
}
