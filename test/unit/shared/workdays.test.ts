import { describe, expect, it } from 'vitest';
import { formatShanghaiDate } from '../../../src/shared/chinaTime.js';
import {
  addMonths,
  addWorkingDays,
  calendarCovers,
  isWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from '../../../src/shared/workdays.js';

describe('Chinese working days (chinese-days data)', () => {
  it('国庆 2026: 10月1日–7日 off, 9月20日 (Sunday) and 10月10日 (Saturday) are 调休 workdays', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(isWorkingDay('2026-10-07')).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(isWorkingDay('2026-09-20')).toBe(true);
    expect(isWorkingDay('2026-10-11')).toBe(false);
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(subtractWorkingDays('2026-10-08', 1)).toBe('2026-09-30');
  });

  it('春节 2026: 2月15日–23日 off, 2月14日 and 2月28日 (Saturdays) are workdays', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-16')).toBe(false);
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });

  it('面商 15 working days after a 交办 on the eve of 中秋 and 国庆', () => {
    // 9月25日–27日 中秋, 10月1日–7日 国庆, 10月10日 a working Saturday.
    expect(addWorkingDays('2026-09-24', 15)).toBe('2026-10-22');
  });

  it('a fake clock instant counts by its Shanghai date (00:30 on 10月1日 is a holiday)', () => {
    const now = new Date('2026-09-30T16:30:00Z');
    expect(formatShanghaiDate(now)).toBe('2026-10-01');
    expect(isWorkingDay(formatShanghaiDate(now))).toBe(false);
    expect(addWorkingDays(formatShanghaiDate(now), 0)).toBe('2026-10-08');
  });

  it('a year the data does not cover counts weekends only', () => {
    expect(calendarCovers(2026)).toBe(true);
    expect(calendarCovers(2099)).toBe(false);
    expect(isWorkingDay('2099-01-01')).toBe(true); // a Thursday
    expect(isWorkingDay('2099-01-03')).toBe(false); // a Saturday
  });

  it('months clamp to the month end; bad input throws', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-01', -1)).toThrow(RangeError);
  });
});
