import { dayToIso, isoToDay, shanghaiDay, ymdToDay } from '../shared/chinaTime.js';
import { parseInteger } from './parseAnswer.js';
import { normalizeText } from './normalize.js';
import { parseTime } from './parseTime.js';

/**
 * Dates as users type them, relative to `now` in Asia/Shanghai (shared/chinaTime.ts owns the calendar), so the
 * engine needs no time-zone database. Result: 'YYYY-MM-DD'. Weeks start on Monday (本周日 is the coming Sunday).
 */

/** '2026-12-01' → '2026年12月1日'. */
export function formatDateCn(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

const RELATIVE: Readonly<Record<string, number>> = {
  大前天: -3,
  前天: -2,
  昨天: -1,
  昨日: -1,
  今天: 0,
  今日: 0,
  明天: 1,
  明日: 1,
  后天: 2,
  大后天: 3,
};
/** 16号, 十六日, 本月16号: a day of this month. */
const DAY_ONLY = /^(?:本月|这个月)?([^月年周期拜]+?)[日号]$/u;
const WEEKDAYS = '一二三四五六日';

function weekdayIndex(ch: string): number | null {
  if (ch === '天') return 7;
  const i = WEEKDAYS.indexOf(ch);
  if (i >= 0) return i + 1;
  return /^[1-7]$/.test(ch) ? Number(ch) : null;
}

/**
 * 今天 / 明天 / 昨天 / 下周三 / 本周五 / 周五 / 12月1日 / 16号 / 2026-12-01 / 2026年12月1日 → 'YYYY-MM-DD' or null.
 * A date without a year is the nearest such date (12月1日 typed on 12月2日 is yesterday, not next year; 1月5日 typed
 * in late December is next January); a day alone (16号) is in this month. Past dates are returned as such: the
 * step decides whether the past is allowed and says so, rather than the parser silently moving the date.
 */
export function parseDate(text: string, now: Date | number): string | null {
  const t = normalizeText(text).replace(/\s+/g, '');
  const today = shanghaiDay(now);
  if (Object.hasOwn(RELATIVE, t)) return dayToIso(today + (RELATIVE[t] ?? 0));

  const week = /^(上|上个|本|这|这个|下|下个)?(?:周|星期|礼拜)(.)$/.exec(t);
  if (week?.[2] !== undefined) {
    const k = weekdayIndex(week[2]);
    if (k === null) return null;
    const monday = today - ((today + 3) % 7); // (day + 3) % 7 is 0 on Mondays (day 0 was a Thursday)
    const prefix = week[1];
    if (prefix === '下' || prefix === '下个') return dayToIso(monday + 7 + k - 1);
    if (prefix === '上' || prefix === '上个') return dayToIso(monday - 7 + k - 1);
    if (prefix !== undefined) return dayToIso(monday + k - 1);
    const thisWeek = monday + k - 1;
    return dayToIso(thisWeek >= today ? thisWeek : thisWeek + 7); // bare 周五: the coming one
  }

  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (iso) {
    const day = ymdToDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day === null ? null : dayToIso(day);
  }
  const cn = /^(?:(.+?)年)?(.+?)月(.+?)[日号]?$/.exec(t) ?? /^()(\d{1,2})[/.](\d{1,2})$/.exec(t);
  if (cn?.[2] !== undefined && cn[3] !== undefined) {
    const m = parseInteger(cn[2]);
    const d = parseInteger(cn[3]);
    if (m === null || d === null) return dayOfThisMonth(t, today);
    if (cn[1] !== undefined && cn[1] !== '') {
      const y = parseInteger(cn[1]);
      const day = y === null ? null : ymdToDay(y, m, d);
      return day === null ? null : dayToIso(day);
    }
    const year = Number(dayToIso(today).slice(0, 4));
    const candidates = [year - 1, year, year + 1].flatMap((y) => ymdToDay(y, m, d) ?? []);
    const nearest = candidates.reduce<number | null>(
      (best, day) => (best === null || Math.abs(day - today) < Math.abs(best - today) ? day : best),
      null,
    );
    return nearest === null ? null : dayToIso(nearest);
  }

  return dayOfThisMonth(t, today);
}

function dayOfThisMonth(t: string, today: number): string | null {
  const dayOnly = DAY_ONLY.exec(t);
  if (dayOnly?.[1] === undefined) return null;
  const d = parseInteger(dayOnly[1]);
  const [year, month] = dayToIso(today).split('-').map(Number);
  const day = d === null || year === undefined || month === undefined ? null : ymdToDay(year, month, d);
  return day === null ? null : dayToIso(day);
}

/**
 * A date followed by a time of day in one answer (明天下午三点, 12月3日 14:30) → both parts; the time is null when
 * there is none or it is not a time. The longest date prefix wins.
 */
export function parseDateTime(
  text: string,
  now: Date | number,
): { date: string; time: string | null; dayOnly: boolean } | null {
  const t = normalizeText(text).replace(/\s+/g, '');
  const chars = [...t];
  for (let cut = chars.length; cut >= 2; cut--) {
    const head = chars.slice(0, cut).join('');
    const date = parseDate(head, now);
    if (date === null) continue;
    const rest = chars.slice(cut).join('');
    const time = rest === '' ? null : parseTime(rest);
    // 「明天不行」 is not 明天: only a time of day (or a bare part of the day) may follow the date.
    if (rest !== '' && time === null && !/^(?:的)?(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)$/u.test(rest))
      return null;
    return { date, time, dayOnly: DAY_ONLY.test(head) };
  }
  return null;
}

/** A date bound from a flow file: 'today' or 'YYYY-MM-DD'. */
export function resolveDateBound(bound: string, now: Date | number): number | null {
  return bound === 'today' ? shanghaiDay(now) : isoToDay(bound);
}
