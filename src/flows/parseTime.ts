import { parseChineseInt } from './parseAnswer.js';
import { normalizeText } from './normalize.js';

/**
 * A time of day as typed on a phone → 'HH:mm' (24-hour), or null. Accepts 14:30, 14：30 (full-width colon),
 * 9点, 9点半, 九点半, 9点30分, 14时30分, 9点整, 3点钟, with an optional 上午/早上/中午/下午/晚上… (下午2点 → 14:00).
 * A bare 1-6点 (三点半) is the afternoon; 14:30-style times are taken as written.
 */
export function parseTime(text: string): string | null {
  const t = normalizeText(text).replace(/\s+/g, '');
  const m = /^(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?(.+)$/u.exec(t);
  if (!m || m[2] === undefined) return null;
  const period = m[1];
  const rest = m[2];
  let hour: number | null = null;
  let minute: number | null = null;
  const colon = /^(\d{1,2}):(\d{2})$/.exec(rest);
  const word =
    /^([0-9零〇一二两三四五六七八九十]{1,3})[点時时]钟?(?:(半|整|一刻|三刻)|([0-9零〇一二三四五六七八九十]{1,3})分?)?$/u.exec(
      rest,
    );
  if (colon) {
    hour = Number(colon[1]);
    minute = Number(colon[2]);
  } else if (word && word[1] !== undefined) {
    hour = /^\d+$/.test(word[1]) ? Number(word[1]) : parseChineseInt(word[1]);
    const tail = word[2];
    if (tail === '半') minute = 30;
    else if (tail === '一刻') minute = 15;
    else if (tail === '三刻') minute = 45;
    else if (word[3] !== undefined)
      minute = /^\d+$/.test(word[3]) ? Number(word[3]) : parseChineseInt(word[3]);
    else minute = 0;
    // 三点半 with no part of the day: nobody meets at 3 a.m., so 1-6 点 is the afternoon (6点 is 18:00).
    if (m[1] === undefined && hour !== null && hour >= 1 && hour <= 6) hour += 12;
  }
  if (hour === null || minute === null) return null;
  if (period !== undefined) {
    const pm = period === '下午' || period === '傍晚' || period === '晚上';
    if (pm && hour >= 1 && hour <= 11) hour += 12;
    else if (period === '中午' && hour >= 1 && hour <= 2) hour += 12;
    else if (pm && hour === 0) return null;
    else if (!pm && period !== '中午' && hour > 12) return null; // 上午15点
  }
  if (!Number.isInteger(hour) || !Number.isInteger(minute)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
