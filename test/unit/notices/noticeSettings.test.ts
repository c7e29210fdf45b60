import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('notice settings', () => {
  it('defaults: admin API off, reminders 24 h before the deadline and at 08:00', () => {
    const c = loadConfig({});
    expect(c.adminToken).toBeNull();
    expect(c.notices).toEqual({
      remindBeforeMs: 24 * 3_600_000,
      morningHour: 8,
      reminderPollMs: 30_000,
      source: '县政协',
    });
  });

  it('reads every notice setting', () => {
    const c = loadConfig({
      ADMIN_TOKEN: 'a'.repeat(32),
      NOTICE_REMIND_BEFORE_HOURS: '1.5',
      NOTICE_MORNING_REMINDER_HOUR: '7',
      NOTICE_REMINDER_POLL_MS: '1000',
      NOTICE_SOURCE: '某某县政协',
    });
    expect(c.adminToken).toBe('a'.repeat(32));
    expect(c.notices).toEqual({
      remindBeforeMs: 5_400_000,
      morningHour: 7,
      reminderPollMs: 1000,
      source: '某某县政协',
    });
  });

  it('refuses a short or spaced token and out-of-range hours, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        ADMIN_TOKEN: 'short token',
        NOTICE_MORNING_REMINDER_HOUR: '24',
        NOTICE_REMIND_BEFORE_HOURS: '-1',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = error instanceof ConfigError ? error.problems.map((p) => p.split(':')[0]) : [];
    expect(problems.sort()).toEqual([
      'ADMIN_TOKEN',
      'NOTICE_MORNING_REMINDER_HOUR',
      'NOTICE_REMIND_BEFORE_HOURS',
    ]);
  });
});
