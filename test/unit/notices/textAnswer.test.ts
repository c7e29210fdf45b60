import { describe, expect, it } from 'vitest';
import {
  guessLeaveKind,
  meetingDay,
  noticesNamed,
  parseTextAnswer,
} from '../../../src/features/notices/textAnswer.js';

const at = (iso: string, title: string) => ({ startsAt: new Date(iso), title });

describe('parseTextAnswer', () => {
  it('reads the everyday ways of saying 参加 (these were 「抱歉，我没有理解」 before)', () => {
    for (const t of [
      '收到，准时参加',
      '准时参加',
      '我参加',
      '参加的',
      '我会参加',
      '好的，参加',
      '按时参加！',
      '收到,参加',
    ])
      expect(parseTextAnswer(t), t).toEqual({ kind: 'answer', answer: 'attend', rest: '' });
  });

  it('reads 请假 with a reason or a notice reference after it', () => {
    expect(parseTextAnswer('请假，那天出差')).toEqual({ kind: 'answer', answer: 'leave', rest: '那天出差' });
    expect(parseTextAnswer('请假 15号的会')).toEqual({ kind: 'answer', answer: 'leave', rest: '15号的会' });
    expect(parseTextAnswer('我要请假')).toEqual({ kind: 'answer', answer: 'leave', rest: '' });
    expect(parseTextAnswer('不能参加，住院了')).toEqual({ kind: 'answer', answer: 'leave', rest: '住院了' });
    expect(parseTextAnswer('我参加不了')).toEqual({ kind: 'answer', answer: 'leave', rest: '' });
    expect(parseTextAnswer('参加 停车难')).toEqual({ kind: 'answer', answer: 'attend', rest: '停车难' });
  });

  it('收到 alone acknowledges without answering; questions and other sentences are no answer', () => {
    expect(parseTextAnswer('收到')).toEqual({ kind: 'ack' });
    expect(parseTextAnswer('收到了！')).toEqual({ kind: 'ack' });
    expect(parseTextAnswer('好的')).toBeNull();
    for (const t of ['请假吗', '请假要什么手续', '参加会议的委员名单在哪里能看到呢？', '我想写提案', ''])
      expect(parseTextAnswer(t), t).toBeNull();
  });
});

describe('noticesNamed', () => {
  const notices = [
    at('2026-11-15T06:00:00Z', '停车难专题协商会'),
    at('2026-11-18T02:00:00Z', '优化营商环境调研'),
  ];
  it('names a notice by its meeting day or a title word', () => {
    expect(noticesNamed(notices, '15号的会')).toEqual([notices[0]]);
    expect(noticesNamed(notices, '11月18日')).toEqual([notices[1]]);
    expect(noticesNamed(notices, '十五号')).toEqual([notices[0]]);
    expect(noticesNamed(notices, '停车难的会')).toEqual([notices[0]]);
    expect(noticesNamed(notices, '营商环境')).toEqual([notices[1]]);
    expect(noticesNamed(notices, '那天出差')).toEqual([]);
    expect(noticesNamed(notices, '会议')).toEqual([]);
  });
  it('says the meeting day in Shanghai time', () => {
    expect(meetingDay(at('2026-11-14T17:00:00Z', 'x'))).toBe('11月15日');
  });
});

describe('guessLeaveKind', () => {
  it('guesses the 请假事由 category', () => {
    expect(['那天出差', '身体不舒服', '单位有接待任务', '孩子婚礼'].map(guessLeaveKind)).toEqual([
      '出差',
      '生病',
      '公务',
      '其他',
    ]);
  });
});
