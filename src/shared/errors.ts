/** An error the app understands: `code` for logs and metrics, `userMessage` (Chinese) safe to show a user. */
export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly status: number;
  constructor(opts: {
    code: string;
    message: string;
    userMessage?: string;
    status?: number;
    cause?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.userMessage = opts.userMessage ?? '系统繁忙，请稍后再试。';
    this.status = opts.status ?? 500;
  }
}

/** A store (database, Redis) did not answer; callers answer 503 so the sender retries. */
export class StoreUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super({ code: 'store_unavailable', message, status: 503, cause });
    this.name = 'StoreUnavailableError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
