import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHolidays, parseHolidaysYaml, type CalendarYear } from '../../../src/shared/holidays.js';
import { formatShanghaiDate } from '../../../src/shared/chinaTime.js';
import {
  addMonths,
  addWorkingDays,
  calendarCovers,
  isWorkingDay,
  subtractWorkingDays,
  useCalendarOverrides,
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

describe('flows/holidays.yaml: a year staff enter before the package has it', () => {
  const file = `
2099:
  holidays:
    - 2099-01-01~2099-01-02
    - 2099-10-01~2099-10-07
  workdays:
    - 2099-10-10
`;

  afterEach(() => useCalendarOverrides(new Map()));

  it('its days off and 调休 Saturdays count, other weekdays work, and the year counts as covered', () => {
    expect(loadHolidays({ file: 'flows/holidays.yaml', text: file })).toEqual([2099]);
    expect(calendarCovers(2099)).toBe(true);
    expect(isWorkingDay('2099-01-01')).toBe(false); // a Thursday, now 元旦
    expect(isWorkingDay('2099-01-05')).toBe(true); // a Monday
    expect(isWorkingDay('2099-10-10')).toBe(true); // a Saturday, 调休
    expect(isWorkingDay('2099-10-11')).toBe(false); // a Sunday
    expect(addWorkingDays('2099-09-30', 1)).toBe('2099-10-08');
  });

  it('replaces the package for its year, and an empty file changes nothing', () => {
    useCalendarOverrides(parseOk('2026:\n  holidays: [2026-03-02]\n'));
    expect(isWorkingDay('2026-03-02')).toBe(false);
    expect(isWorkingDay('2026-10-01')).toBe(true); // 国庆 is no longer in this year's list
    expect(loadHolidays({ file: 'flows/holidays.yaml', text: '# only comments\n' })).toEqual([]);
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(loadHolidays(null)).toEqual([]);
  });

  it('names every mistake in Chinese and refuses to load a bad file', () => {
    const bad = parseHolidaysYaml(
      '27:\n  holidays: [2027-01-01]\n2027:\n  holidays: [2027-02-30, 2027-10-07~2027-10-01, 2028-01-01]\n  workday: []\n',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      '27: 年份应当是四位数字，例如 2027',
      '2027.holidays: 「2027-02-30」不是日期，请写成 2027-01-01 或 2027-10-01~2027-10-07',
      '2027.holidays: 「2027-10-07~2027-10-01」的结束日期早于开始日期',
      '2027.holidays: 「2028-01-01」不在2027年内',
      '2027.workday: 只能填写 holidays 或 workdays',
      '2027.holidays: 至少填写一个放假日期',
    ]);
    expect(() => loadHolidays({ file: 'flows/holidays.yaml', text: '2027: [1]\n' })).toThrow(
      /flows\/holidays.yaml: 2027: 应当包含 holidays/,
    );
    expect(parseHolidaysYaml('2027:\n  holidays: [2027-05-01]\n  workdays: [2027-05-01]\n')).toEqual({
      ok: false,
      problems: ['2027: 2027-05-01 同时写在放假和调休上班里'],
    });
  });

  it('the shipped file is valid and enters no year (its example is a comment)', async () => {
    const text = await readFile(new URL('../../../flows/holidays.yaml', import.meta.url), 'utf8');
    expect(parseHolidaysYaml(text)).toEqual({ ok: true, years: new Map() });
  });
});

function parseOk(text: string): Map<number, CalendarYear> {
  const parsed = parseHolidaysYaml(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.years;
}
