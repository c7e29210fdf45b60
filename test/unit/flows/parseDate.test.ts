import { describe, expect, it } from 'vitest';
import { formatDateCn, parseDate } from '../../../src/flows/parseDate.js';
import { NOW } from './helpers.js';

// NOW is Wednesday 2026-11-25 10:00 Asia/Shanghai.
describe('parseDate', () => {
  it.each([
    ['今天', '2026-11-25'],
    ['明天', '2026-11-26'],
    ['后天', '2026-11-27'],
    ['大后天', '2026-11-28'],
    ['本周五', '2026-11-27'],
    ['这周一', '2026-11-23'],
    ['本周日', '2026-11-29'],
    ['下周三', '2026-12-02'],
    ['下个星期一', '2026-11-30'],
    ['下周日', '2026-12-06'],
    ['周五', '2026-11-27'],
    ['周三', '2026-11-25'],
    ['周一', '2026-11-30'],
    ['12月1日', '2026-12-01'],
    ['12月1号', '2026-12-01'],
    ['十二月一日', '2026-12-01'],
    ['11月1日', '2026-11-01'], // the nearest 11月1日 (24 days ago), never silently next year
    ['1月5日', '2027-01-05'],
    ['2026-12-01', '2026-12-01'],
    ['２０２６－１２－０１', '2026-12-01'],
    ['2026/12/1', '2026-12-01'],
    ['2026年12月1日', '2026-12-01'],
    ['二〇二六年十二月一日', '2026-12-01'],
    ['2028年2月29日', '2028-02-29'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text, NOW)).toBe(iso);
  });

  it.each(['2026-02-30', '2027年2月29日', '13月1日', '周八', '下下周三', '改天', ''])('%s → null', (text) => {
    expect(parseDate(text, NOW)).toBeNull();
  });

  it('uses the Shanghai calendar day, not UTC', () => {
    const lateUtc = new Date('2026-11-24T17:30:00Z'); // 01:30 on the 25th in Shanghai
    expect(parseDate('今天', lateUtc)).toBe('2026-11-25');
    expect(parseDate('今天', new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
    expect(parseDate('今天', new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
  });

  it('formats for people', () => {
    expect(formatDateCn('2026-12-01')).toBe('2026年12月1日');
  });
});
