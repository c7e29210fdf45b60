import { describe, expect, it } from 'vitest';
import { clauses, normalizeText } from '../../../src/flows/normalize.js';
import { confirmSubject, parseChoice, parseConfirm, parseIndex } from '../../../src/flows/parseAnswer.js';
import { parseDate, parseDateTime } from '../../../src/flows/parseDate.js';
import { parseTime } from '../../../src/flows/parseTime.js';
import { NOW } from './helpers.js';

describe('normalizeText (the one normaliser)', () => {
  it.each([
    ['　ＯＫ！', 'ok'],
    ['２３', '23'],
    ['好的吧！', '好'],
    ['不用了。', '不用'],
    ['是的～', '是'],
    ['继续吧', '继续'],
    ['  修改   公开 ', '修改 公开'],
    ['了', '了'],
    ['?', '?'],
    ['１４：３０', '14:30'],
  ])('%s → %s', (text, want) => {
    expect(normalizeText(text)).toBe(want);
  });
  it('splits compound answers into normalised clauses', () => {
    expect(clauses('没问题，提交吧')).toEqual(['没问题', '提交']);
    expect(clauses('好的。谢谢！')).toEqual(['好', '谢谢']);
  });
});

describe('parseConfirm: everyday yes and no', () => {
  it.each([
    '不用了',
    '不要',
    '不要了',
    '不需要',
    '没有',
    '算了',
    '不同意',
    '不用了，谢谢',
    '那就不用了',
    '先不用',
  ])('%s is no', (text) => {
    expect(parseConfirm(text)).toBe(false);
  });
  it.each([
    '好的',
    '好',
    '可以',
    '行',
    '嗯',
    '嗯嗯',
    '对',
    '是的',
    '是',
    '要',
    '需要',
    '同意',
    '没问题',
    '没问题，提交吧',
    '确认',
    'ok',
    'ＯＫ',
    '好的，谢谢',
    '嗯，好的',
  ])('%s is yes', (text) => {
    expect(parseConfirm(text)).toBe(true);
  });
  it('a question or a mixed answer is neither', () => {
    expect(parseConfirm('嗯？')).toBeNull();
    expect(parseConfirm('可以吗？')).toBeNull();
    expect(parseConfirm('好的，不用了')).toBeNull();
    expect(parseConfirm('取消')).toBeNull();
  });
  it("an echo or a negation of the question's own subject", () => {
    const publicity = confirmSubject('第 7 步：是否同意公开这件提案？（回复「是」或「否」）');
    expect(parseConfirm('不公开', publicity)).toBe(false);
    expect(parseConfirm('不同意公开', publicity)).toBe(false);
    expect(parseConfirm('公开', publicity)).toBe(true);
    expect(parseConfirm('可以公开', publicity)).toBe(true);
    const cosign = confirmSubject(
      '第 5 步：是否邀请其他委员联名？（回复「是」或「否」）被邀请的委员本人确认后才算联名。',
    );
    expect(parseConfirm('不邀请', cosign)).toBe(false);
    expect(parseConfirm('不邀请了', cosign)).toBe(false);
    expect(parseConfirm('邀请', cosign)).toBe(true);
    expect(parseConfirm('不公开', cosign)).toBeNull();
  });
  it('the actions the hint offers for 是 and 否', () => {
    const send = confirmSubject(
      '{{previewText}}\n\n确认发送给 {{count}} 位委员？（回复「是」发送，回复「否」返回修改）',
    );
    expect(parseConfirm('发送', send)).toBe(true);
    expect(parseConfirm('修改', send)).toBe(false);
    expect(parseConfirm('先不发', send)).toBe(false);
  });
});

describe('parseChoice: label, number, full-width digit, 中文数字, inside a longer answer', () => {
  const options = [
    { value: '出差', label: '出差' },
    { value: '生病', label: '生病', synonyms: ['病假', '身体不适'] },
    { value: '公务', label: '公务', synonyms: ['工作'] },
    { value: '其他', label: '其他' },
  ];
  it.each([
    ['2', 1],
    ['２', 1],
    ['二', 1],
    ['第二个', 1],
    ['我选2', 1],
    ['选第三个', 2],
    ['出差吧', 0],
    ['生病了', 1],
    ['那天要出差', 0],
    ['身体不适，在医院', 1],
  ])('%s → option %i', (text, index) => {
    expect(parseChoice(text, options)).toBe(index);
  });
  it('an out-of-range number, no option, or two options named is not a choice', () => {
    expect(parseChoice('５', options)).toBeNull();
    expect(parseChoice('去市里开会', options)).toBeNull();
    expect(parseChoice('生病了还要出差', options)).toBeNull();
  });
  it('parseIndex reads 中文数字 and ordinals', () => {
    expect(parseIndex('十一')).toBe(11);
    expect(parseIndex('两')).toBe(2);
    expect(parseIndex('第３项')).toBe(3);
  });
});

// NOW is Wednesday 2026-11-25 10:00 Asia/Shanghai.
describe('dates and times in everyday forms', () => {
  it.each([
    ['16号', '2026-11-16'],
    ['28日', '2026-11-28'],
    ['二十八号', '2026-11-28'],
    ['本月30号', '2026-11-30'],
    ['昨天', '2026-11-24'],
    ['前天', '2026-11-23'],
    ['上周五', '2026-11-20'],
    ['12/3', '2026-12-03'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text, NOW)).toBe(iso);
  });
  it('12月1日 typed on 12月2日 is yesterday, never next year', () => {
    expect(parseDate('12月1日', new Date('2026-12-02T09:00:00+08:00'))).toBe('2026-12-01');
  });
  it('a date followed by a time of day', () => {
    expect(parseDateTime('明天下午三点', NOW)).toEqual({ date: '2026-11-26', time: '15:00', dayOnly: false });
    expect(parseDateTime('12月3日 14:30', NOW)).toEqual({
      date: '2026-12-03',
      time: '14:30',
      dayOnly: false,
    });
    expect(parseDateTime('16号上午', NOW)).toEqual({ date: '2026-11-16', time: null, dayOnly: true });
    expect(parseDateTime('明天不行', NOW)).toBeNull();
  });
  it.each([
    ['下午三点', '15:00'],
    ['三点半', '15:30'],
    ['上午三点半', '03:30'],
    ['3:30', '03:30'],
    ['15点', '15:00'],
    ['下午3点钟', '15:00'],
    ['十五点', '15:00'],
  ])('time %s → %s', (text, hhmm) => {
    expect(parseTime(text)).toBe(hhmm);
  });
});
