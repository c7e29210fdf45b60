/**
 * `flows/holidays.yaml`: the 节假日安排 of years the built-in holiday data does not cover yet, entered by staff from
 * the State Council's notice. Each year lists its days off (`holidays`) and its 调休 working weekend days
 * (`workdays`); a day is `YYYY-MM-DD` or a range `YYYY-MM-DD~YYYY-MM-DD`. Parsing only; `workdays.ts` applies it.
 */
import { parse } from 'yaml';
import { dayToIso, isoToDay } from './chinaTime.js';
import { AppError } from './errors.js';
import { useCalendarOverrides } from './workdays.js';

export const HOLIDAYS_FILE = 'holidays.yaml';

export interface CalendarYear {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export type HolidaysParse =
  { ok: true; years: Map<number, CalendarYear> } | { ok: false; problems: string[] };

/** The days of one entry (a date or a range), or a Chinese problem. */
function expand(entry: unknown, year: number): string[] | string {
  // YAML reads an unquoted 2027-01-01 as a date; take it back as its calendar day.
  const text = entry instanceof Date ? entry.toISOString().slice(0, 10) : String(entry).trim();
  const [fromText = '', toText = fromText] = text.split(/\s*[~～至]\s*/);
  const from = isoToDay(fromText);
  const to = isoToDay(toText);
  if (from === null || to === null) return `「${text}」不是日期，请写成 2027-01-01 或 2027-10-01~2027-10-07`;
  if (to < from) return `「${text}」的结束日期早于开始日期`;
  if (to - from > 31) return `「${text}」超过一个月，请检查`;
  const days: string[] = [];
  for (let d = from; d <= to; d++) days.push(dayToIso(d));
  if (days.some((d) => Number(d.slice(0, 4)) !== year)) return `「${text}」不在${year}年内`;
  return days;
}

export function parseHolidaysYaml(text: string): HolidaysParse {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [`不是有效的 YAML：${err instanceof Error ? err.message.split('\n')[0] : ''}`],
    };
  }
  const years = new Map<number, CalendarYear>();
  if (doc === null || doc === undefined) return { ok: true, years };
  if (typeof doc !== 'object' || Array.isArray(doc))
    return { ok: false, problems: ['应当按年份填写，例如 2027:'] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const year = Number(key);
    if (!/^\d{4}$/.test(key) || year < 2000 || year > 2100) {
      problems.push(`${key}: 年份应当是四位数字，例如 2027`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${key}: 应当包含 holidays（放假日期）和 workdays（调休上班日期）`);
      continue;
    }
    const sets = { holidays: new Set<string>(), workdays: new Set<string>() };
    for (const [field, list] of Object.entries(value as Record<string, unknown>)) {
      if (field !== 'holidays' && field !== 'workdays') {
        problems.push(`${key}.${field}: 只能填写 holidays 或 workdays`);
        continue;
      }
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list)) {
        problems.push(`${key}.${field}: 应当是日期列表`);
        continue;
      }
      for (const entry of list) {
        const days = expand(entry, year);
        if (typeof days === 'string') problems.push(`${key}.${field}: ${days}`);
        else for (const d of days) sets[field].add(d);
      }
    }
    for (const d of sets.holidays)
      if (sets.workdays.has(d)) problems.push(`${key}: ${d} 同时写在放假和调休上班里`);
    if (sets.holidays.size === 0) problems.push(`${key}.holidays: 至少填写一个放假日期`);
    years.set(year, sets);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, years };
}

/**
 * Installs the years of the holidays file into the working-day calendar (none when there is no file) and returns
 * them. Throws, naming the file and each problem, when it is invalid: deadlines must not silently count wrong.
 */
export function loadHolidays(file: { file: string; text: string } | null): number[] {
  const parsed = file
    ? parseHolidaysYaml(file.text)
    : { ok: true as const, years: new Map<number, CalendarYear>() };
  if (!parsed.ok)
    throw new AppError({
      code: 'flow_invalid',
      message: `holidays file has problems:\n${parsed.problems.map((p) => `${file?.file}: ${p}`).join('\n')}`,
    });
  useCalendarOverrides(parsed.years);
  return [...parsed.years.keys()].sort();
}
