/**
 * Wall-clock times in Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so a fixed offset
 * is exact and needs no time-zone database.
 */
const OFFSET_MS = 8 * 3600_000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function partsOf(d: Date): Parts {
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
export function shanghaiTime(p: Parts): Date | null {
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - OFFSET_MS;
  const d = new Date(ms);
  const back = partsOf(d);
  if (back.year !== p.year || back.month !== p.month || back.day !== p.day) return null;
  if (p.hour > 23 || p.minute > 59 || p.hour < 0 || p.minute < 0) return null;
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
  const p = partsOf(d);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** `6月1日 09:00` */
export function formatShanghaiShort(d: Date): string {
  const p = partsOf(d);
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The given Shanghai hour on the calendar day (Shanghai) of `d`. */
export function atShanghaiHourOfDay(d: Date, hour: number): Date {
  const p = partsOf(d);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, hour, 0) - OFFSET_MS);
}
