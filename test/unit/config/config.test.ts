import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const full = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's3cret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

describe('loadConfig: 微信客服', () => {
  it('is off unless 客服账号 are listed; lists are comma-separated, spaces allowed', () => {
    expect(loadConfig(full).kf).toEqual({
      openKfids: [],
      syncIntervalMs: 300_000,
      citizenGuard: { maxPerMinute: 20, muteMs: 600_000, textMaxChars: 1000 },
    });
    const c = loadConfig({
      ...full,
      WECOM_KF_OPEN_KFIDS: 'wkA1, wk_b-2',
      WECOM_KF_SYNC_INTERVAL_SECONDS: '60',
    });
    expect(c.kf).toMatchObject({ openKfids: ['wkA1', 'wk_b-2'], syncIntervalMs: 60_000 });
  });

  it('names a bad 客服账号 list', () => {
    expect(() => loadConfig({ ...full, WECOM_KF_OPEN_KFIDS: 'wk1,,wk 2' })).toThrow(/WECOM_KF_OPEN_KFIDS/);
  });
});

describe('loadConfig', () => {
  it('defaults to local mode on SQLite with in-process stores', () => {
    const c = loadConfig({});
    expect(c.wecom).toBeNull();
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', file: './data/xieshang.sqlite' });
    expect(c.redisUrl).toBeNull();
    expect(c.wecomApiBase).toBe('https://qyapi.weixin.qq.com');
  });

  it('reads a full WeCom configuration and MySQL + Redis', () => {
    const c = loadConfig({
      ...full,
      DATABASE_URL: 'mysql://u:p@db:3306/x',
      REDIS_URL: 'redis://r:6379/0',
      WECOM_API_BASE: 'http://127.0.0.1:9/',
    });
    expect(c.wecom).toMatchObject({ corpId: 'ww1436e0e65a779aee', agentId: 1000002 });
    expect(c.database).toEqual({ kind: 'mysql', url: 'mysql://u:p@db:3306/x' });
    expect(c.wecomApiBase).toBe('http://127.0.0.1:9');
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'abc', WECOM_CORP_ID: 'ww1', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as ConfigError).message;
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'LOG_LEVEL',
        'WECOM_AGENT_ID',
        'WECOM_SECRET',
        'WECOM_TOKEN',
        'WECOM_ENCODING_AES_KEY',
      ]) {
        expect(msg).toContain(name);
      }
    }
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ WECOM_CORP_ID: '', PORT: '' }).wecom).toBeNull();
  });
});
