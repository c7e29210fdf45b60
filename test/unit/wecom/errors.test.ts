import { describe, expect, it } from 'vitest';
import {
  isRateLimitWecomError,
  isTokenError,
  isTransientWecomError,
  WecomApiError,
  WecomTransportError,
} from '../../../src/wecom/errors.js';

const api = (errcode: number): WecomApiError =>
  new WecomApiError({ path: 'message/send', errcode, errmsg: 'x' });

describe('transient WeCom errors (the sender retries them)', () => {
  it.each([
    [-1, '系统繁忙', true, false],
    [45009, '接口调用超过限制', true, true],
    [45033, '接口并发调用超过限制', true, true],
    [60020, '不安全的访问IP (可信IP not configured yet)', true, false],
    [40001, '不合法的secret参数', false, false],
    [40014, '不合法的access_token', false, false],
    [42001, 'access_token已过期', false, false],
    [40003, '不合法的UserID', false, false],
    [44004, '文本消息内容为空', false, false],
    [45002, '消息内容大小超过限制', false, false],
    [48002, 'API接口无权限调用', false, false],
    [81013, 'user/party/tag all invalid', false, false],
  ])('errcode %i (%s): transient %s, rate limit %s', (errcode, _meaning, transient, rateLimit) => {
    expect(isTransientWecomError(api(errcode))).toBe(transient);
    expect(isRateLimitWecomError(api(errcode))).toBe(rateLimit);
  });

  it.each(['timeout', 'network', 'http'] as const)(
    'a transport failure (%s) is transient, not a rate limit',
    (kind) => {
      const err = new WecomTransportError({
        path: 'message/send',
        kind,
        status: kind === 'http' ? 502 : null,
      });
      expect(isTransientWecomError(err)).toBe(true);
      expect(isRateLimitWecomError(err)).toBe(false);
    },
  );

  it('anything else is neither', () => {
    for (const err of [new Error('boom'), 'string', null, undefined, { errcode: -1 }]) {
      expect(isTransientWecomError(err)).toBe(false);
      expect(isRateLimitWecomError(err)).toBe(false);
    }
  });

  it('token errors are refetched by the client, not retried by the sender', () => {
    for (const code of [40001, 40014, 42001]) expect(isTokenError(api(code))).toBe(true);
    expect(isTokenError(api(-1))).toBe(false);
  });
});
