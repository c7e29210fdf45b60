/**
 * China time (Asia/Shanghai): the one module that knows the offset. China has kept UTC+8 without daylight saving
 * since 1991, so a fixed offset is exact and needs no time-zone database. Pure: callers pass the instant (`now`).
 *
 * Two representations: an instant (`Date`) shown or parsed as Shanghai wall-clock time, and a calendar day as a
 * day number (days since 1970-01-01) or 'YYYY-MM-DD', for date answers and date arithmetic (下周三).
 */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Shanghai wall-clock parts; month and day from 1. */
export interface ShanghaiParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function shanghaiParts(d: Date): ShanghaiParts {
  const s = new Date(d.getTime() + OFFSET_MS);
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The instant of a Shanghai wall-clock time; null when the parts are not a real date (2月30日, 25:00). */
export function shanghaiTime(p: ShanghaiParts): Date | null {
  if (p.hour > 23 || p.minute > 59 || p.hour < 0 || p.minute < 0) return null;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - OFFSET_MS);
  const back = shanghaiParts(d);
  if (back.year !== p.year || back.month !== p.month || back.day !== p.day) return null;
  return d;
}

/**
 * Parses `YYYY-MM-DD HH:mm` (also `T` or `/` separators) as Shanghai time, or an ISO 8601 string with an explicit
 * offset (`Z`, `+08:00`). A date alone is accepted only when `dateOnly` says what time it means.
 */
export function parseShanghaiTime(text: string, dateOnly: 'reject' | 'endOfDay' = 'reject'): Date | null {
  const t = text.trim();
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(t) && /^\d{4}-\d{2}-\d{2}T/.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) {
    if (dateOnly === 'reject') return null;
    // The whole day counts: a deadline of 6月1日 ends at 23:59 that day.
    return shanghaiTime({ year, month, day, hour: 23, minute: 59 });
  }
  return shanghaiTime({ year, month, day, hour: Number(m[4]), minute: Number(m[5]) });
}

/** `2026-06-01 09:00` */
export function formatShanghai(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `6月1日 09:00` */
export function formatShanghaiShort(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `2026-06-01`: the Shanghai calendar day of `d`. */
export function formatShanghaiDate(d: Date): string {
  return dayToIso(shanghaiDay(d));
}

/** The given Shanghai hour on the calendar day (Shanghai) of `d`. */
export function atShanghaiHourOfDay(d: Date, hour: number): Date {
  const p = shanghaiParts(d);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, hour, 0) - OFFSET_MS);
}

/** Day number (days since 1970-01-01) of the Shanghai calendar day containing `now`. */
export function shanghaiDay(now: Date | number): number {
  const ms = typeof now === 'number' ? now : now.getTime();
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

/** Day number → 'YYYY-MM-DD'. */
export function dayToIso(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The day number of a real calendar date, or null (2026-02-30). */
export function ymdToDay(y: number, m: number, d: number): number | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** 'YYYY-MM-DD' → day number, or null when it is not a real date. */
export function isoToDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  return ymdToDay(Number(m[1]), Number(m[2]), Number(m[3]));
}
