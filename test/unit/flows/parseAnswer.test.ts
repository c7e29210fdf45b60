import { describe, expect, it } from 'vitest';
import {
  normalizeText,
  parseChineseInt,
  parseChoice,
  parseConfirm,
  parseIndex,
  parseMultiChoice,
  parseNumber,
} from '../../../src/flows/parseAnswer.js';

const options = [
  { value: 'economy', label: '经济发展', synonyms: ['经济'] },
  { value: 'education', label: '教育' },
  { value: 'health', label: '医疗卫生' },
  { value: 'other', label: '其他' },
];

describe('numbers', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
    ['两', 2],
    ['一百零五', 105],
    ['三千', 3000],
    ['二〇二六', 2026],
    ['一万二千', 12000],
  ])('parseChineseInt(%s) = %i', (text, n) => {
    expect(parseChineseInt(text)).toBe(n);
  });
  it('rejects non-numerals and malformed numerals', () => {
    expect(parseChineseInt('三四十')).toBeNull();
    expect(parseChineseInt('好')).toBeNull();
    expect(parseChineseInt('')).toBeNull();
  });
  it('accepts full-width digits, ordinals and decimals', () => {
    expect(parseIndex('２')).toBe(2);
    expect(parseIndex('第二个')).toBe(2);
    expect(parseIndex('第3项')).toBe(3);
    expect(parseNumber('３０')).toBe(30);
    expect(parseNumber('-2.5')).toBe(-2.5);
    expect(parseNumber('三十')).toBe(30);
    expect(parseNumber('1,000')).toBeNull();
    expect(parseNumber('abc')).toBeNull();
  });
  it('normalises width, spaces and trailing punctuation', () => {
    expect(normalizeText('  确认！ ')).toBe('确认');
    expect(normalizeText('修改\u3000２。')).toBe('修改 2');
  });
});

describe('confirm words', () => {
  it.each([
    '是',
    '好',
    '好的',
    '确认',
    '对',
    '可以',
    '提交',
    '确认提交',
    'OK',
    '是的。',
    '同意',
    '要',
    '需要',
  ])('%s → yes', (t) => {
    expect(parseConfirm(t)).toBe(true);
  });
  it.each(['否', '不', '不是', '算了', '不要', '不同意', '不需要', '没有'])('%s → no', (t) => {
    expect(parseConfirm(t)).toBe(false);
  });
  it('取消 is not a no (it is the global cancel command); unrelated text is neither', () => {
    expect(parseConfirm('取消')).toBeNull();
    expect(parseConfirm('也许吧')).toBeNull();
  });
});

describe('choice', () => {
  it('by number in any numeral, label, value, synonym or unique partial label', () => {
    expect(parseChoice('1', options)).toBe(0);
    expect(parseChoice('４', options)).toBe(3);
    expect(parseChoice('三', options)).toBe(2);
    expect(parseChoice('第二个', options)).toBe(1);
    expect(parseChoice('教育', options)).toBe(1);
    expect(parseChoice('health', options)).toBe(2);
    expect(parseChoice('经济', options)).toBe(0);
    expect(parseChoice('医疗', options)).toBe(2);
  });
  it('rejects out-of-range numbers and unknown text', () => {
    expect(parseChoice('5', options)).toBeNull();
    expect(parseChoice('0', options)).toBeNull();
    expect(parseChoice('交通', options)).toBeNull();
    expect(parseChoice('', options)).toBeNull();
  });
  it('multi: spaces, 、 , ，and 和 separate; duplicates dropped; "13" means 1 and 3', () => {
    for (const t of ['1 3', '1、3', '1,3', '1，3', '经济和医疗卫生', '13', '1 3 1']) {
      expect(parseMultiChoice(t, options)).toEqual({ ok: true, indexes: [0, 2] });
    }
    expect(parseMultiChoice('1 9', options)).toEqual({ ok: false, bad: '9' });
  });
  it('multi: with ten or more options a number is never split into digits', () => {
    const many = Array.from({ length: 12 }, (_v, i) => ({ value: `u${i + 1}`, label: `单位${i + 1}` }));
    expect(parseMultiChoice('12', many)).toEqual({ ok: true, indexes: [11] });
    expect(parseMultiChoice('99', many)).toEqual({ ok: false, bad: '99' });
  });
});
