/**
 * Failures talking to the WeCom API. Branch on `errcode`, never on `errmsg` (its wording changes and embeds
 * IPs and hints; doc 90313 全局错误码).
 */

/** WeCom answered, with `errcode ≠ 0`. */
export class WecomApiError extends Error {
  readonly path: string;
  readonly errcode: number;
  readonly errmsg: string;
  constructor(opts: { path: string; errcode: number; errmsg: string }) {
    super(`WeCom ${opts.path} failed: errcode ${opts.errcode} (${opts.errmsg})`);
    this.name = 'WecomApiError';
    this.path = opts.path;
    this.errcode = opts.errcode;
    this.errmsg = opts.errmsg;
  }
}

/** WeCom did not answer usefully: timeout, connection failure, non-2xx or a body that is not JSON. */
export class WecomTransportError extends Error {
  readonly path: string;
  readonly kind: 'timeout' | 'network' | 'http';
  readonly status: number | null;
  constructor(opts: {
    path: string;
    kind: 'timeout' | 'network' | 'http';
    status?: number | null;
    cause?: unknown;
  }) {
    const status = opts.status ?? null;
    super(`WeCom ${opts.path} ${opts.kind}${status === null ? '' : ` ${status}`}`, { cause: opts.cause });
    this.name = 'WecomTransportError';
    this.path = opts.path;
    this.kind = opts.kind;
    this.status = status;
  }
}

/** 40001 invalid secret/credential, 40014 invalid access_token, 42001 access_token expired: refetch and retry once. */
export const TOKEN_ERRCODES = [40001, 40014, 42001] as const;

/**
 * errcodes worth the same request again later (doc 90313 全局错误码, 90312 频率限制):
 * -1 系统繁忙 ("建议重试"); 45009 接口调用超过限制 and 45033 接口并发调用超过限制 (rate limits, below);
 * 60020 不安全的访问IP: the server's IP is not yet on the app's 企业可信IP list, which an administrator fixes in
 * the admin console without any change here, so messages wait for it rather than fail.
 */
export const TRANSIENT_ERRCODES: readonly number[] = [-1, 45009, 45033, 60020];
/** WeCom blocks a minute-window offender for 60 s (doc 90312): pause all sending, not just this message. */
export const RATE_LIMIT_ERRCODES: readonly number[] = [45009, 45033];

export function isTokenError(err: unknown): err is WecomApiError {
  return err instanceof WecomApiError && TOKEN_ERRCODES.some((code) => code === err.errcode);
}

/**
 * Worth retrying later with the same request: any transport failure (timeout, network, non-2xx, not WeCom's JSON),
 * or one of TRANSIENT_ERRCODES. Note a timed-out request may have been applied by WeCom already.
 */
export function isTransientWecomError(err: unknown): boolean {
  if (err instanceof WecomTransportError) return true;
  return err instanceof WecomApiError && TRANSIENT_ERRCODES.includes(err.errcode);
}

/** WeCom asked us to slow down (also transient): the sender pauses rather than retrying at once. */
export function isRateLimitWecomError(err: unknown): err is WecomApiError {
  return err instanceof WecomApiError && RATE_LIMIT_ERRCODES.includes(err.errcode);
}
