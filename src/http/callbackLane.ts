import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '../shared/errors.js';
import type { ErrorResponder } from './errorMiddleware.js';
import { readRawBody } from './readRawBody.js';
import type { RequestState } from './requestContext.js';

/**
 * The callback lane: `POST /wecom/callback` — the one request that comes in floods and has WeCom's 5 s deadline —
 * is answered by plain Node code instead of going through Koa (context objects, middleware chain, router), which
 * cost about as much CPU as the rest of the acknowledgement. It keeps what the Koa route does, word for word: the
 * request id header and access-log line of requestContext, the shutdown refusal, the body limits of readRawBody,
 * Koa's query parsing, and the error answers and log lines of errorMiddleware (the same ErrorResponder).
 * Every other request, and this one when the server is shutting down, goes to Koa.
 */
export interface CallbackLaneDeps {
  logger: Logger;
  isAccepting(): boolean;
  ingest(query: Record<string, string | string[] | undefined>, body: string): Promise<{ status: 200 | 503 }>;
  respondToError: ErrorResponder;
  bodyLimit: number;
  /** Koa's handler, for everything else. */
  fallback: RequestListener;
}

const PATH = '/wecom/callback';

export function createCallbackLane(deps: CallbackLaneDeps): RequestListener {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !isCallbackPath(url) || !deps.isAccepting()) {
      deps.fallback(req, res);
      return;
    }
    answer(deps, req, res, url).catch((err: unknown) =>
      deps.logger.error({ err: errorMessage(err) }, 'callback lane failed'),
    );
  };
}

/** Exactly `/wecom/callback`, with or without a query: other spellings Koa's router also matches go to Koa. */
function isCallbackPath(url: string): boolean {
  return url.startsWith(PATH) && (url.length === PATH.length || url.charCodeAt(PATH.length) === 0x3f); // '?'
}

async function answer(deps: CallbackLaneDeps, req: IncomingMessage, res: ServerResponse, url: string) {
  const started = performance.now();
  const requestId = headerOf(req, 'x-request-id') || randomUUID();
  res.setHeader('x-request-id', requestId);
  const state = lazyState(deps.logger, requestId, req);
  try {
    const body = await readRawBody(req, deps.bodyLimit);
    const outcome = await deps.ingest(queryOf(url), body);
    if (outcome.status === 503)
      throw new AppError({ code: 'store_unavailable', message: 'inbox unavailable: callback not stored' });
    // WeCom takes an empty 200 as the acknowledgement (Koa's headers for an empty string body).
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Length', 0);
    res.end();
  } catch (err) {
    const { status, body } = deps.respondToError(state, err);
    const json = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(json));
    res.end(json);
  }
  if (deps.logger.isLevelEnabled('info'))
    state.log.info(
      { method: 'POST', path: PATH, status: res.statusCode, ms: Math.round(performance.now() - started) },
      'request',
    );
}

/** requestContext's state, with the child logger made only when something is logged. */
function lazyState(logger: Logger, requestId: string, req: IncomingMessage): RequestState {
  let log: Logger | undefined;
  return {
    get log() {
      return (log ??= logger.child({ requestId }));
    },
    // As Koa with app.proxy: the first X-Forwarded-For address, else the socket's.
    ip: forwardedFor(req) ?? req.socket.remoteAddress ?? '',
  };
}

function forwardedFor(req: IncomingMessage): string | undefined {
  const header = headerOf(req, 'x-forwarded-for');
  if (!header) return undefined;
  const first = header.split(/\s*,\s*/)[0]?.trim();
  return first || undefined;
}

function headerOf(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Koa's ctx.query: URLSearchParams, a repeated key becomes an array (the callback refuses those). */
function queryOf(url: string): Record<string, string | string[] | undefined> {
  const at = url.indexOf('?');
  if (at < 0) return {};
  const end = url.indexOf('#', at);
  const params = new URLSearchParams(url.slice(at + 1, end < 0 ? undefined : end));
  const query: Record<string, string | string[]> = {};
  for (const key of params.keys()) {
    if (Object.hasOwn(query, key)) continue;
    const values = params.getAll(key);
    Object.defineProperty(query, key, {
      value: values.length <= 1 ? values[0] : values,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return query;
}
