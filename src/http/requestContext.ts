import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

/** What every later middleware and route finds in `ctx.state`. */
export interface RequestState {
  /** The request's logger: every line carries the request id. */
  log: Logger;
  /** The client address, read on arrival (a socket cut short, e.g. by an oversized body, no longer has one). */
  ip: string;
}

/** Outermost: a request id (kept from `X-Request-Id` or made up), a logger bound to it, one access-log line. */
export function requestContext(logger: Logger): Middleware<RequestState> {
  return async (ctx, next) => {
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    ctx.state.ip = ctx.ip;
    ctx.state.log = logger.child({ requestId });
    await next();
    ctx.state.log.info(
      { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  };
}
