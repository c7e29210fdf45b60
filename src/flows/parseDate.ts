import { dayToIso, isoToDay, shanghaiDay, ymdToDay } from '../shared/chinaTime.js';
import { normalizeText, parseInteger } from './parseAnswer.js';

/**
 * Dates as users type them, relative to `now` in Asia/Shanghai (shared/chinaTime.ts owns the calendar), so the
 * engine needs no time-zone database. Result: 'YYYY-MM-DD'. Weeks start on Monday (本周日 is the coming Sunday).
 */

/** '2026-12-01' → '2026年12月1日'. */
export function formatDateCn(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

const RELATIVE: Readonly<Record<string, number>> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };
const WEEKDAYS = '一二三四五六日';

function weekdayIndex(ch: string): number | null {
  if (ch === '天') return 7;
  const i = WEEKDAYS.indexOf(ch);
  if (i >= 0) return i + 1;
  return /^[1-7]$/.test(ch) ? Number(ch) : null;
}

/** 今天 / 明天 / 后天 / 下周三 / 本周五 / 周五 / 12月1日 / 2026-12-01 / 2026年12月1日 → 'YYYY-MM-DD' or null. */
export function parseDate(text: string, now: Date | number): string | null {
  const t = normalizeText(text).replace(/\s+/g, '');
  const today = shanghaiDay(now);
  if (Object.hasOwn(RELATIVE, t)) return dayToIso(today + (RELATIVE[t] ?? 0));

  const week = /^(本|这|这个|下|下个)?(?:周|星期|礼拜)(.)$/.exec(t);
  if (week?.[2] !== undefined) {
    const k = weekdayIndex(week[2]);
    if (k === null) return null;
    const monday = today - ((today + 3) % 7); // (day + 3) % 7 is 0 on Mondays (day 0 was a Thursday)
    const prefix = week[1];
    if (prefix === '下' || prefix === '下个') return dayToIso(monday + 7 + k - 1);
    if (prefix !== undefined) return dayToIso(monday + k - 1);
    const thisWeek = monday + k - 1;
    return dayToIso(thisWeek >= today ? thisWeek : thisWeek + 7); // bare 周五: the coming one
  }

  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (iso) {
    const day = ymdToDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day === null ? null : dayToIso(day);
  }

  const cn = /^(?:(.+?)年)?(.+?)月(.+?)[日号]?$/.exec(t);
  if (cn?.[2] !== undefined && cn[3] !== undefined) {
    const m = parseInteger(cn[2]);
    const d = parseInteger(cn[3]);
    if (m === null || d === null) return null;
    if (cn[1] !== undefined) {
      const y = parseInteger(cn[1]);
      const day = y === null ? null : ymdToDay(y, m, d);
      return day === null ? null : dayToIso(day);
    }
    // No year: the next such day (12月1日 said in December 2026 after the 1st means 2027).
    const year = Number(dayToIso(today).slice(0, 4));
    const day = ymdToDay(year, m, d);
    if (day === null) return null;
    if (day >= today) return dayToIso(day);
    const next = ymdToDay(year + 1, m, d);
    return next === null ? null : dayToIso(next);
  }
  return null;
}

/** A date bound from a flow file: 'today' or 'YYYY-MM-DD'. */
export function resolveDateBound(bound: string, now: Date | number): number | null {
  return bound === 'today' ? shanghaiDay(now) : isoToDay(bound);
}
