import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  decide,
  SENTIMENT_STATES,
  type ActorRole,
  type ReviewRequest,
  type SentimentState,
} from '../../../src/features/sentiment/domain/index.js';

const REQUESTS: Record<ReviewRequest['action'], ReviewRequest> = {
  adopt: { action: 'adopt', level: '市', mode: '单篇' },
  keep: { action: 'keep' },
  return: { action: 'return', reason: '请补充数据' },
  instruct: { action: 'instruct', by: '县长', text: '请研究' },
  report_up: { action: 'report_up', level: '省' },
  forward: { action: 'forward', unit: '县交通运输局', dueDate: '2026-12-31' },
  forward_result: { action: 'forward_result', text: '已增设站点' },
};

/** The whole table, by hand: state → action → the next state (absent: refused with 409). */
const EXPECTED: Record<SentimentState, Partial<Record<ReviewRequest['action'], SentimentState>>> = {
  pending: { adopt: 'adopted', keep: 'kept', return: 'returned' },
  returned: {},
  kept: {},
  adopted: { instruct: 'adopted', report_up: 'reported', forward: 'forwarded' },
  reported: { instruct: 'reported', report_up: 'reported', forward: 'forwarded' },
  forwarded: { instruct: 'forwarded', report_up: 'forwarded', forward_result: 'handled' },
  handled: { instruct: 'handled', report_up: 'handled' },
};

describe('社情民意 state machine: every state × action × role', () => {
  for (const state of SENTIMENT_STATES) {
    for (const [action, request] of Object.entries(REQUESTS)) {
      for (const role of ['staff', 'member', 'citizen'] as ActorRole[]) {
        it(`${state} × ${action} × ${role}`, () => {
          const d = decide(
            { state, source: 'member', level: state === 'pending' ? null : '县' },
            request,
            role,
          );
          if (role !== 'staff') {
            expect(d).toMatchObject({ ok: false, code: 'forbidden' });
            if (!d.ok) expect(d.reason).toContain('工作人员');
            return;
          }
          const next = EXPECTED[state][action as ReviewRequest['action']];
          if (next === undefined) {
            expect(d.ok).toBe(false);
            if (!d.ok) {
              expect(d.code).toBe('conflict');
              expect(d.reason).toMatch(/[\u4e00-\u9fa5]/);
            }
          } else {
            expect(d).toMatchObject({ ok: true, next });
          }
        });
      }
    }
  }
});

describe('levels and details', () => {
  it('adopting records the level and mode in the summary', () => {
    const d = decide({ state: 'pending', source: 'member', level: null }, REQUESTS.adopt, 'staff');
    expect(d).toEqual({ ok: true, next: 'adopted', level: '市', summary: '市级单篇采用' });
  });

  it('报送 only goes up: the same or a lower level is refused with the levels still open', () => {
    const atCity = { state: 'adopted' as const, source: 'member' as const, level: '市' as const };
    const same = decide(atCity, { action: 'report_up', level: '市' }, 'staff');
    expect(same).toMatchObject({ ok: false, code: 'conflict' });
    if (!same.ok) expect(same.reason).toContain('省、全国');
    expect(decide(atCity, { action: 'report_up', level: '全国' }, 'staff')).toMatchObject({
      ok: true,
      next: 'reported',
      level: '全国',
      summary: '报送全国政协',
    });
  });

  it('a citizen clue cannot be returned for rework (there is no one to rework it)', () => {
    const d = decide({ state: 'pending', source: 'citizen', level: null }, REQUESTS.return, 'staff');
    expect(d).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('allowedActions lists exactly what decide accepts', () => {
    expect(allowedActions({ state: 'pending', source: 'member', level: null })).toEqual([
      'adopt',
      'keep',
      'return',
    ]);
    expect(allowedActions({ state: 'forwarded', source: 'member', level: '市' })).toEqual([
      'instruct',
      'report_up',
      'forward_result',
    ]);
    expect(allowedActions({ state: 'kept', source: 'member', level: null })).toEqual([]);
  });
});
