import type { Context, Middleware } from 'koa';
import { CallbackRejection } from '../wecom/envelope.js';
import { WecomCryptoError } from '../wecom/crypto.js';
import { AppError, assertNever, errorMessage, statusOf } from '../shared/errors.js';
import type { RequestState } from './requestContext.js';

/**
 * The one place an error becomes a response, for every route (callback, admin API, health): JSON
 * `{ error: code, message: userMessage, problems? }` with the status of the code (shared/errors.ts). Whatever is
 * not an AppError is a bug: 500 with a generic Chinese message, logged with the request id, never a stack to
 * the client. A request nothing answered is a not_found like any other.
 */
export function errorMiddleware(respond: ErrorResponder = createErrorResponder()): Middleware<RequestState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body } = respond(ctx.state, err);
      ctx.status = status;
      ctx.body = body;
      return;
    }
    if (ctx.status === 404 && ctx.body == null) {
      render(ctx, new AppError({ code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` }));
    }
  };
}

/** The status and JSON body answering a thrown error, logged on the way (also used by the callback lane). */
export type ErrorResponder = (state: RequestState, err: unknown) => { status: number; body: ErrorBody };

export interface ErrorBody {
  error: AppError['code'];
  message: string;
  problems?: AppError['problems'];
}

export function createErrorResponder(): ErrorResponder {
  const skewAlert = clockSkewAlert();
  return (state, err) => {
    const known = toAppError(err);
    if (known) {
      logKnown(state, known, err);
      if (err instanceof CallbackRejection && err.reason === 'stale') skewAlert(state, err.skewSeconds);
      return { status: statusOf(known.code), body: bodyOf(known) };
    }
    state.log.error(
      { err: errorMessage(err), stack: err instanceof Error ? err.stack : undefined },
      'unexpected error',
    );
    const internal = new AppError({ code: 'internal', message: errorMessage(err), cause: err });
    return { status: statusOf(internal.code), body: bodyOf(internal) };
  };
}

/** The errors thrown below http/ that are not AppErrors but are understood: WeCom callback rejections. */
function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof CallbackRejection) {
    return new AppError({ code: callbackCode(err.status), message: err.message, cause: err });
  }
  return null;
}

/** A rejection keeps the status WeCom (and test/http/badInput.test.ts) expect, through its code. */
function callbackCode(status: CallbackRejection['status']): AppError['code'] {
  switch (status) {
    case 400:
      return 'callback_rejected';
    case 403:
      return 'forbidden';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return assertNever(status, 'callback rejection status');
  }
}

function logKnown(state: RequestState, err: AppError, thrown: unknown): void {
  const status = statusOf(err.code);
  if (thrown instanceof CallbackRejection) {
    // Forged or broken callbacks: the reason and any WeCom -400xx code are for us, never for the caller.
    const wecomCode = thrown.cause instanceof WecomCryptoError ? thrown.cause.code : undefined;
    const skew = thrown.skewSeconds === undefined ? {} : { skewSeconds: thrown.skewSeconds };
    state.log.warn({ status, reason: thrown.reason, wecomCode, ...skew, ip: state.ip }, 'callback rejected');
    return;
  }
  const fields = { status, code: err.code, err: err.message, ip: state.ip };
  if (status >= 500) state.log.error({ ...fields, cause: causeOf(err) }, 'request failed');
  else state.log.warn(fields, 'request refused');
}

/**
 * Callbacks refused as stale mean this server's clock (or WeCom's) is off: every member's message is refused until
 * it is fixed. An error-level line with `alert: 'clock_skew'` and the observed skew goes out at once, then at most
 * once a minute while it lasts (the warn line of each refusal carries the skew too).
 */
function clockSkewAlert(): (state: RequestState, skewSeconds: number | undefined) => void {
  let lastAt = 0;
  return (state, skewSeconds) => {
    const at = Date.now();
    if (at - lastAt < 60_000) return;
    lastAt = at;
    state.log.error(
      { alert: 'clock_skew', skewSeconds },
      'callbacks refused as stale: the server clock differs from WeCom timestamps; check NTP',
    );
  };
}

function causeOf(err: AppError): string | undefined {
  return err.cause === undefined ? undefined : errorMessage(err.cause);
}

function render(ctx: Context, err: AppError): void {
  ctx.status = statusOf(err.code);
  ctx.body = bodyOf(err);
}

function bodyOf(err: AppError): ErrorBody {
  return { error: err.code, message: err.userMessage, ...(err.problems ? { problems: err.problems } : {}) };
}
