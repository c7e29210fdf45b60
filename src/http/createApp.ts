import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '../shared/errors.js';
import { createAdminRouter, type AdminApi } from './adminRouter.js';
import type { RequestListener } from 'node:http';
import { createCallbackLane } from './callbackLane.js';
import { createErrorResponder, errorMiddleware, type ErrorResponder } from './errorMiddleware.js';
import { readRawBody } from './readRawBody.js';
import { requestContext, type RequestState } from './requestContext.js';

/** What the HTTP layer needs; built in main.ts. http/ never touches store/ directly. */
export interface HttpDeps {
  logger: Logger;
  /** GET: verifies the URL-verification request and returns the decrypted echostr. Throws CallbackRejection. */
  verifyUrl(query: Record<string, string | string[] | undefined>): string;
  /** POST: persist, then acknowledge. Throws CallbackRejection for forged or malformed requests. */
  ingest(query: Record<string, string | string[] | undefined>, body: string): Promise<{ status: 200 | 503 }>;
  /** Resolves with what answers; used by /readyz. */
  readiness(): Promise<Record<string, boolean>>;
  /** False once shutdown has begun. */
  isAccepting(): boolean;
  /** The admin API (/admin/api); absent when ADMIN_TOKEN is unset, so its routes answer 404. */
  admin?: AdminApi;
}

/** WeCom envelopes are about 0.6 KiB; anything near this limit is not from WeCom. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

/**
 * The server's request handler: the callback lane for WeCom's POST callbacks (callbackLane.ts), Koa for the rest.
 * Both answer errors through one ErrorResponder, so a clock-skew alert is rate-limited across both.
 */
export function createHttpHandler(deps: HttpDeps): RequestListener {
  const respondToError = createErrorResponder();
  return createCallbackLane({
    logger: deps.logger,
    isAccepting: deps.isAccepting,
    ingest: deps.ingest,
    respondToError,
    bodyLimit: CALLBACK_BODY_LIMIT,
    fallback: createApp(deps, respondToError).callback(),
  });
}

export function createApp(
  deps: HttpDeps,
  respondToError: ErrorResponder = createErrorResponder(),
): Koa<RequestState> {
  const app = new Koa<RequestState>();
  app.proxy = true;
  const router = new Router<RequestState>();

  // Errors after the response is out of our hands (a client cut off at the request deadline, a socket reset) reach
  // Koa's own handler, which would print a stack trace to stderr: one log line with the code instead.
  app.on('error', (err: unknown) => {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
    deps.logger.warn({ err: errorMessage(err), code }, 'request ended by the connection');
  });
  app.use(requestContext(deps.logger));
  app.use(errorMiddleware(respondToError));

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const checks = await deps.readiness();
    const ready = deps.isAccepting() && Object.values(checks).every(Boolean);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', accepting: deps.isAccepting(), ...checks };
  });

  router.get('/wecom/callback', (ctx) => {
    const echo = deps.verifyUrl(ctx.query);
    // WeCom wants the plaintext alone: no quotes, no BOM, no newline (doc 90238).
    ctx.type = 'text/plain';
    ctx.body = echo;
  });

  router.post('/wecom/callback', async (ctx) => {
    if (!deps.isAccepting()) {
      throw new AppError({
        code: 'unavailable',
        message: 'shutting down: callback refused so WeCom retries',
      });
    }
    const body = await readRawBody(ctx.req, CALLBACK_BODY_LIMIT);
    const outcome = await deps.ingest(ctx.query, body);
    if (outcome.status === 503) {
      throw new AppError({ code: 'store_unavailable', message: 'inbox unavailable: callback not stored' });
    }
    // WeCom takes an empty 200 as the acknowledgement.
    ctx.status = 200;
    ctx.body = '';
  });

  router.all('/wecom/callback', (ctx) => {
    ctx.set('Allow', 'GET, POST');
    throw new AppError({ code: 'method_not_allowed', message: `${ctx.method} on /wecom/callback` });
  });

  app.use(router.routes());
  if (deps.admin) app.use(createAdminRouter(deps.admin).routes());
  return app;
}
