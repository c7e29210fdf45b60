import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from 'pino';
import { CallbackRejection } from '../wecom/envelope.js';
import { AppError, errorMessage } from '../shared/errors.js';
import { createAdminRouter, type AdminApiDeps } from '../features/notices/adminRoutes.js';
import { BodyError, readRawBody } from './readRawBody.js';

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
  admin?: AdminApiDeps;
}

/** WeCom envelopes are about 0.6 KiB; anything near this limit is not from WeCom. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

export function createApp(deps: HttpDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  const router = new Router();

  app.use(async (ctx, next) => {
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('x-request-id', requestId);
    const started = performance.now();
    // Read the address now: a socket cut short (e.g. an oversized body) no longer has one later.
    const ip = ctx.ip;
    const log = deps.logger.child({ requestId });
    ctx.state.log = log;
    try {
      await next();
    } catch (err) {
      if (err instanceof CallbackRejection || err instanceof BodyError) {
        ctx.status = err.status;
        ctx.body = '';
        log.warn(
          { status: err.status, reason: err instanceof CallbackRejection ? err.reason : err.message, ip },
          'callback rejected',
        );
      } else if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = { error: err.code, message: err.userMessage };
        log.error({ code: err.code, err: err.message }, 'request failed');
      } else {
        ctx.status = 500;
        ctx.body = '';
        log.error({ err: errorMessage(err) }, 'unexpected error');
      }
    }
    log.info(
      { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });

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
      ctx.status = 503;
      ctx.body = '';
      return;
    }
    const body = await readRawBody(ctx.req, CALLBACK_BODY_LIMIT);
    const outcome = await deps.ingest(ctx.query, body);
    ctx.status = outcome.status;
    ctx.body = '';
  });

  router.all('/wecom/callback', (ctx) => {
    ctx.status = 405;
    ctx.set('Allow', 'GET, POST');
    ctx.body = '';
  });

  app.use(router.routes());
  if (deps.admin) app.use(createAdminRouter(deps.admin).routes());
  return app;
}
