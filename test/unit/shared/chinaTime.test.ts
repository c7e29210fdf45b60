import { describe, expect, it } from 'vitest';
import {
  atShanghaiHourOfDay,
  dayToIso,
  formatShanghai,
  formatShanghaiDate,
  formatShanghaiShort,
  isoToDay,
  parseShanghaiTime,
  shanghaiDay,
  shanghaiParts,
  shanghaiTime,
  ymdToDay,
} from '../../../src/shared/chinaTime.js';

const utc = (iso: string): Date => new Date(`${iso}Z`);

describe('the Shanghai day changes at 16:00 UTC', () => {
  it('15:59 UTC is still the same day there, 16:00 UTC is the next', () => {
    expect(formatShanghaiDate(utc('2026-06-01T15:59:59.999'))).toBe('2026-06-01');
    expect(formatShanghaiDate(utc('2026-06-01T16:00:00'))).toBe('2026-06-02');
    expect(shanghaiDay(utc('2026-06-01T16:00:00')) - shanghaiDay(utc('2026-06-01T15:59:59.999'))).toBe(1);
    expect(formatShanghai(utc('2026-06-01T16:00:00'))).toBe('2026-06-02 00:00');
    expect(formatShanghaiShort(utc('2026-06-01T15:59:00'))).toBe('6月1日 23:59');
  });

  it('takes epoch milliseconds as well as a Date', () => {
    const d = utc('2026-06-01T16:00:00');
    expect(shanghaiDay(d.getTime())).toBe(shanghaiDay(d));
  });

  it('the hour of the day is on the Shanghai day, not the UTC one', () => {
    // 2026-06-02 07:00 in Shanghai is still 2026-06-01 in UTC.
    expect(atShanghaiHourOfDay(utc('2026-06-01T23:00:00'), 8)).toEqual(new Date('2026-06-02T08:00:00+08:00'));
    expect(atShanghaiHourOfDay(utc('2026-06-01T15:00:00'), 8)).toEqual(new Date('2026-06-01T08:00:00+08:00'));
  });
});

describe('year rollover', () => {
  it('New Year in Shanghai comes at 16:00 UTC on 31 December', () => {
    expect(formatShanghai(utc('2026-12-31T15:59:00'))).toBe('2026-12-31 23:59');
    expect(formatShanghai(utc('2026-12-31T16:00:00'))).toBe('2027-01-01 00:00');
    expect(shanghaiParts(utc('2026-12-31T16:00:00'))).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
    });
  });

  it('day numbers count across the year end and back', () => {
    const lastDay = isoToDay('2026-12-31');
    expect(lastDay).not.toBeNull();
    expect(dayToIso(lastDay! + 1)).toBe('2027-01-01');
    expect(ymdToDay(2027, 1, 1)).toBe(lastDay! + 1);
    expect(shanghaiDay(utc('2026-12-31T16:00:00'))).toBe(lastDay! + 1);
  });

  it('a Shanghai wall-clock time just after midnight on 1 January is the previous UTC year', () => {
    expect(shanghaiTime({ year: 2027, month: 1, day: 1, hour: 0, minute: 30 })).toEqual(
      utc('2026-12-31T16:30:00'),
    );
  });
});

describe('shanghaiTime and parseShanghaiTime', () => {
  it('rejects dates and times that do not exist', () => {
    expect(shanghaiTime({ year: 2026, month: 2, day: 29, hour: 9, minute: 0 })).toBeNull();
    expect(shanghaiTime({ year: 2028, month: 2, day: 29, hour: 9, minute: 0 })).not.toBeNull();
    expect(shanghaiTime({ year: 2026, month: 6, day: 1, hour: 24, minute: 0 })).toBeNull();
    expect(shanghaiTime({ year: 2026, month: 6, day: 1, hour: 9, minute: 60 })).toBeNull();
    expect(ymdToDay(2026, 4, 31)).toBeNull();
    expect(isoToDay('2026-4-3')).toBeNull();
  });

  it('reads wall-clock text as Shanghai time, an explicit offset as given', () => {
    expect(parseShanghaiTime('2026-06-01 09:00')).toEqual(utc('2026-06-01T01:00:00'));
    expect(parseShanghaiTime('2026/6/1T9:05')).toEqual(utc('2026-06-01T01:05:00'));
    expect(parseShanghaiTime('2026-06-01T09:00:00Z')).toEqual(utc('2026-06-01T09:00:00'));
    expect(parseShanghaiTime('2026-06-01T09:00:00+08:00')).toEqual(utc('2026-06-01T01:00:00'));
    expect(parseShanghaiTime('明天')).toBeNull();
  });

  it('a date alone: rejected, or the end of that day', () => {
    expect(parseShanghaiTime('2026-06-01')).toBeNull();
    expect(parseShanghaiTime('2026-12-31', 'endOfDay')).toEqual(utc('2026-12-31T15:59:00'));
  });

  it('formats round-trip through parsing', () => {
    const d = utc('2026-12-31T16:05:00');
    expect(parseShanghaiTime(formatShanghai(d))).toEqual(d);
  });
});
