/**
 * Every error the app understands, by code: the HTTP status it answers with and the Chinese message a user sees
 * when the thrower gives none. The one place a code meets a status (the HTTP error middleware reads it).
 */
const APP_ERRORS = {
  bad_request: { status: 400, userMessage: '请求有误' },
  invalid_body: { status: 400, userMessage: '请求内容有误' },
  /** A WeCom callback that is malformed; the reason (and any WeCom -400xx code) goes to the log only. */
  callback_rejected: { status: 400, userMessage: '回调请求无效' },
  /** A flow file that does not compile or lint. */
  flow_invalid: { status: 400, userMessage: '流程配置有误' },
  /** A member table (CSV / xlsx) that cannot be read. */
  table_unreadable: { status: 400, userMessage: '无法读取表格文件' },
  unauthorized: { status: 401, userMessage: '需要有效的管理令牌（Authorization: Bearer …）' },
  forbidden: { status: 403, userMessage: '无权访问' },
  not_found: { status: 404, userMessage: '找不到请求的内容' },
  method_not_allowed: { status: 405, userMessage: '不支持该请求方法' },
  conflict: { status: 409, userMessage: '当前状态下无法执行该操作' },
  payload_too_large: { status: 413, userMessage: '请求体过大' },
  unsupported_media_type: { status: 415, userMessage: '请求体格式不受支持' },
  internal: { status: 500, userMessage: '系统繁忙，请稍后再试。' },
  /** A store (database, Redis) did not answer; a 503 makes WeCom deliver the callback again. */
  store_unavailable: { status: 503, userMessage: '系统繁忙，请稍后再试。' },
  /** Shutting down: new work is refused so that a sender retries against a running instance. */
  unavailable: { status: 503, userMessage: '服务暂不可用，请稍后再试。' },
} as const satisfies Record<string, { status: number; userMessage: string }>;

export type AppErrorCode = keyof typeof APP_ERRORS;

export const APP_ERROR_CODES: readonly AppErrorCode[] = Object.keys(APP_ERRORS).filter(isAppErrorCode);

export function isAppErrorCode(value: string): value is AppErrorCode {
  return Object.hasOwn(APP_ERRORS, value);
}

/** The HTTP status an error of this code answers with. */
export function statusOf(code: AppErrorCode): number {
  return APP_ERRORS[code].status;
}

/** One bad input field: `field` is its path in the request (`audience.sectors`), `message` Chinese, for staff. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the app understands: `code` for logs, metrics and the status; `userMessage` (Chinese) safe to show. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;
  /** Every bad field, when the request itself was wrong (invalid_body). */
  readonly problems: readonly FieldProblem[] | undefined;
  constructor(opts: {
    code: AppErrorCode;
    /** For the log: what happened, in English, with the details a user must not see. */
    message: string;
    userMessage?: string;
    problems?: readonly FieldProblem[];
    cause?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.userMessage = opts.userMessage ?? APP_ERRORS[opts.code].userMessage;
    this.problems = opts.problems;
  }

  get status(): number {
    return statusOf(this.code);
  }
}

/** A request body with these problems (all of them, so the caller can fix them in one go). */
export function invalidBody(problems: readonly FieldProblem[]): AppError {
  return new AppError({
    code: 'invalid_body',
    message: `invalid body: ${problems.map((p) => p.field).join(', ')}`,
    userMessage: problems.map((p) => `${p.field}：${p.message}`).join('；'),
    problems,
  });
}

/** A store (database, Redis) did not answer; answered with 503 so the sender retries. */
export class StoreUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super({ code: 'store_unavailable', message, cause });
    this.name = 'StoreUnavailableError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
