import { describe, expect, it } from 'vitest';
import {
  atShanghaiHourOfDay,
  buildNoticeCard,
  checkAudience,
  formatShanghai,
  parseNoticeButtonKey,
  parseShanghaiTime,
  reminderSchedule,
  resolveAudience,
  validateNoticeInput,
  type AudienceCandidate,
} from '../../../src/features/notices/domain/index.js';

const NOW = new Date('2026-11-02T01:00:00Z'); // 09:00 in Shanghai
const valid = {
  title: '停车难专题协商会',
  kind: '专题协商会',
  startsAt: '2026-11-05 09:30',
  place: '三楼会议室',
  content: '议题：城区停车难',
  audience: { all: true },
  replyBy: '2026-11-04',
  leaveNeedsReason: true,
};

describe('validateNoticeInput', () => {
  it('accepts a valid notice, reading times as Beijing time and a bare date as the end of that day', () => {
    const r = validateNoticeInput(valid, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft.startsAt.toISOString()).toBe('2026-11-05T01:30:00.000Z');
    expect(r.draft.replyBy.toISOString()).toBe('2026-11-04T15:59:00.000Z');
    expect(r.draft.audience).toEqual({ all: true, sectors: [], committees: [], userIds: [] });
  });

  it('reports every bad field at once, in Chinese', () => {
    const r = validateNoticeInput(
      {
        title: '这是一个非常非常非常非常非常非常非常长的通知标题超过二十六个字',
        kind: '茶话会',
        startsAt: '2026-02-30 09:00',
        place: ' ',
        content: null,
        audience: { sectors: [3] },
        replyBy: '2026-11-01 08:00',
        leaveNeedsReason: '是',
      },
      NOW,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual([
      'title',
      'place',
      'content',
      'kind',
      'startsAt',
      'replyBy',
      'leaveNeedsReason',
      'audience.sectors',
      'audience',
    ]);
    expect(r.problems[0]!.message).toMatch(/标题不能超过 26 个字/);
    expect(r.problems[4]!.message).toMatch(/无法识别/);
    expect(r.problems[5]!.message).toBe('回执截止时间已过，请填写将来的时间');
  });

  it('refuses a deadline after the start, and an empty audience', () => {
    const r = validateNoticeInput({ ...valid, replyBy: '2026-11-06', audience: {} }, NOW);
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      '回执截止时间不能晚于开始时间',
      '发送对象为空：请选择全体委员，或至少一个界别、专委会或委员',
    ]);
  });

  it('parses ISO times with an offset and rejects impossible ones', () => {
    expect(parseShanghaiTime('2026-11-05T09:30:00+08:00')?.toISOString()).toBe('2026-11-05T01:30:00.000Z');
    expect(parseShanghaiTime('2026/11/5 9:05')?.toISOString()).toBe('2026-11-05T01:05:00.000Z');
    expect(parseShanghaiTime('2026-11-05 24:00')).toBeNull();
    expect(parseShanghaiTime('2026-11-05')).toBeNull();
    expect(formatShanghai(new Date('2026-11-04T16:30:00Z'))).toBe('2026-11-05 00:30');
  });
});

describe('audience', () => {
  const people: AudienceCandidate[] = [
    { userId: 'c', name: '丙', role: 'member', sector: '经济界', committee: null, active: true },
    { userId: 'a', name: '甲', role: 'member', sector: '教育界', committee: '提案委员会', active: true },
    { userId: 'b', name: '乙', role: 'member', sector: '经济界', committee: null, active: false },
    { userId: 's', name: '职员', role: 'staff', sector: '经济界', committee: null, active: true },
  ];
  it('resolves each active member once, staff only when named, ordered by userid', () => {
    const all = { all: true, sectors: ['经济界'], committees: [], userIds: ['c'] };
    expect(resolveAudience(people, all).map((r) => r.userId)).toEqual(['a', 'c']);
    const some = { all: false, sectors: ['经济界'], committees: ['提案委员会'], userIds: ['s'] };
    expect(resolveAudience(people, some).map((r) => r.userId)).toEqual(['a', 'c', 's']);
  });
  it('names sectors, committees and userids that reach nobody', () => {
    const a = { all: false, sectors: ['经济界', '农业界'], committees: ['文史委'], userIds: ['b', 'zz'] };
    expect(checkAudience(people, a).map((p) => p.message)).toEqual([
      '以下界别没有在册委员：农业界',
      '以下专委会没有在册委员：文史委',
      '以下账号不是在册成员：b、zz',
    ]);
  });
});

describe('card and reminders', () => {
  it('builds a button_interaction card whose keys read back', () => {
    const card = buildNoticeCard(
      {
        id: 12,
        title: 't',
        kind: '界别协商',
        startsAt: NOW,
        place: 'p',
        content: 'c',
        replyBy: NOW,
      },
      { taskId: 'notice_12_0', source: '县政协' },
    );
    expect(card.card_type).toBe('button_interaction');
    expect(card.task_id).toBe('notice_12_0');
    expect(card['button_list']).toEqual([
      { text: '参加', style: 1, key: 'notice:12:attend' },
      { text: '请假', style: 2, key: 'notice:12:leave' },
    ]);
    expect(parseNoticeButtonKey('notice:12:leave')).toEqual({ noticeId: 12, answer: 'leave' });
    expect(parseNoticeButtonKey('notice:12:maybe')).toBeNull();
    expect(parseNoticeButtonKey('rsvp_yes')).toBeNull();
  });

  it('schedules non-responders before the deadline and attendees at 08:00 on the day', () => {
    const notice = { startsAt: new Date('2026-11-05T01:30:00Z'), replyBy: new Date('2026-11-04T15:59:00Z') };
    const morningAt = atShanghaiHourOfDay(notice.startsAt, 8);
    expect(morningAt.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(reminderSchedule(notice, { now: NOW, remindBeforeMs: 24 * 3_600_000, morningAt })).toEqual([
      { kind: 'nonResponders', dueAt: new Date('2026-11-03T15:59:00Z') },
      { kind: 'morning', dueAt: morningAt },
    ]);
    // Too late for the first, and a 07:30 meeting gets no 08:00 reminder.
    const early = { startsAt: new Date('2026-11-02T23:30:00Z'), replyBy: new Date('2026-11-02T12:00:00Z') };
    expect(
      reminderSchedule(early, {
        now: NOW,
        remindBeforeMs: 24 * 3_600_000,
        morningAt: atShanghaiHourOfDay(early.startsAt, 8),
      }),
    ).toEqual([]);
  });
});
