/**
 * Chinese working days: weekends off, public holidays off, 调休 make-up days (a Saturday or Sunday) on. The data is
 * the maintained `chinese-days` package (the State Council's yearly 节假日安排), plus the years staff enter in
 * `flows/holidays.yaml` (installed once at start with `useCalendarOverrides`; a year there replaces the package's),
 * for a schedule published after the package's last release. A year neither covers counts weekends only, and
 * `calendarCovers(year)` tells (the server warns at start). Dates are Shanghai calendar dates `YYYY-MM-DD`; no clock.
 */
import chineseDays from 'chinese-days';
import { dayToIso, isoToDay } from './chinaTime.js';
import type { CalendarYear } from './holidays.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const day = isoToDay(date);
  if (day === null) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return day;
}

const formatDay = dayToIso;

function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

const covered = new Map<number, boolean>();
let overrides: ReadonlyMap<number, CalendarYear> = new Map();

/**
 * Installs the years of `flows/holidays.yaml` (parsed by `parseHolidaysYaml`); each replaces the package's data for
 * its year. An empty map restores the package alone.
 */
export function useCalendarOverrides(years: ReadonlyMap<number, CalendarYear>): void {
  overrides = years;
}

function packageCovers(year: number): boolean {
  let known = covered.get(year);
  if (known === undefined) {
    // A covered year always has public holidays on weekdays; an uncovered one is weekends only.
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    covered.set(year, known);
  }
  return known;
}

/** Whether the holiday data covers `year` (the State Council publishes each year's 安排 late in the year before). */
export function calendarCovers(year: number): boolean {
  return overrides.has(year) || packageCovers(year);
}

/** Is `date` a working day (a weekday that is no holiday, or a 调休 make-up day)? */
export function isWorkingDay(date: string): boolean {
  const day = dayNumber(date);
  const year = Number(date.slice(0, 4));
  const entered = overrides.get(year);
  if (entered) {
    if (entered.workdays.has(date)) return true;
    if (entered.holidays.has(date)) return false;
  }
  if (entered || !packageCovers(year)) {
    const w = weekday(day);
    return w !== 0 && w !== 6;
  }
  return chineseDays.isWorkday(date);
}

/**
 * The date `n` working days after `date` (n ≥ 0; `date` itself never counts, so 交办 on Friday + 1 is the next
 * working day). n = 0 gives `date` when it is a working day, else the next one.
 */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
  let day = dayNumber(date);
  if (n === 0) {
    while (!isWorkingDay(formatDay(day))) day++;
    return formatDay(day);
  }
  let left = n;
  while (left > 0) {
    day++;
    if (isWorkingDay(formatDay(day))) left--;
  }
  return formatDay(day);
}

/** Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(from: string, to: string): number {
  let day = dayNumber(from);
  const end = dayNumber(to);
  let count = 0;
  while (day < end) {
    day++;
    if (isWorkingDay(formatDay(day))) count++;
  }
  return count;
}

/** The date `n` working days before `date` (n ≥ 1). */
export function subtractWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a whole number ≥ 1: ${n}`);
  let day = dayNumber(date);
  let left = n;
  while (left > 0) {
    day--;
    if (isWorkingDay(formatDay(day))) left--;
  }
  return formatDay(day);
}

/** `date` plus whole calendar months, clamped to the month's last day (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1 + months;
  const targetYear = y + Math.floor(mo / 12);
  const targetMonth = ((mo % 12) + 12) % 12;
  const last = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const d = Math.min(Number(m[3]), last);
  return formatDay(Date.UTC(targetYear, targetMonth, d) / DAY_MS);
}
