import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { z } from 'zod';
import type { AdminRoute } from '../core/adminRoute.js';
import { AppError, assertNever, invalidBody } from '../shared/errors.js';
import { readRawBody } from './readRawBody.js';
import type { RequestState } from './requestContext.js';
import { BODY_FIELD, chineseIssueMessage, problemsOf } from './zodProblems.js';

/** The admin API as main.ts wires it: on only when ADMIN_TOKEN is set. */
export interface AdminApi {
  /** The ADMIN_TOKEN; callers present it as `Authorization: Bearer <token>`. */
  token: string;
  /** The features' routes, mounted in this order. */
  routes: readonly AdminRoute[];
}

/** Admin bodies are a few KiB at most (a notice's content is ≤112 characters; userid lists dominate). */
export const ADMIN_BODY_LIMIT = 512 * 1024;

type AdminContext = ParameterizedContext<RequestState>;

/**
 * Mounts the features' admin routes under /admin/api behind the bearer token. Reads JSON bodies (415 unless
 * JSON, 413 past the limit) and parses them with the route's schema: a bad body is 400 with every problem.
 * Routes answer their successes; every failure is thrown and rendered by the error middleware.
 */
export function createAdminRouter(admin: AdminApi): Router<RequestState> {
  const router = new Router<RequestState>({ prefix: '/admin/api' });
  const expected = digest(admin.token);

  router.use(async (ctx, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    // Compared as digests: constant time, whatever the length of what was presented.
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new AppError({ code: 'unauthorized', message: 'admin API: missing or wrong bearer token' });
    }
    await next();
  });

  for (const route of admin.routes) {
    const handler = async (ctx: AdminContext): Promise<void> => {
      const body = route.body ? await readBody(ctx, route.body) : undefined;
      const response = await route.handle({
        params: { ...ctx.params },
        query: firstValues(ctx.query),
        body,
        idempotencyKey: idempotencyKey(ctx),
      });
      ctx.status = response.status;
      ctx.body = response.body;
    };
    switch (route.method) {
      case 'GET':
        router.get(route.path, handler);
        break;
      case 'POST':
        router.post(route.path, handler);
        break;
      default:
        assertNever(route.method, 'admin route method');
    }
  }
  return router;
}

async function readBody(ctx: AdminContext, schema: z.ZodType): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new AppError({
      code: 'unsupported_media_type',
      message: `admin API: content-type ${ctx.get('content-type') || '(none)'}`,
      userMessage: '请求体应为 JSON（Content-Type: application/json）',
    });
  }
  const text = await readRawBody(ctx.req, ADMIN_BODY_LIMIT);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidBody([{ field: BODY_FIELD, message: '请求体不是合法的 JSON' }]);
  }
  const parsed = await schema.safeParseAsync(json, { error: chineseIssueMessage });
  if (!parsed.success) throw invalidBody(problemsOf(parsed.error));
  return parsed.data;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function idempotencyKey(ctx: AdminContext): string | null {
  const key = ctx.get('idempotency-key').trim();
  return key === '' ? null : key.slice(0, 120);
}

function firstValues(query: Record<string, string | string[] | undefined>): Record<string, string> {
  // fromEntries defines properties, so a `__proto__` parameter stays a plain key.
  return Object.fromEntries(
    Object.entries(query).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first]];
    }),
  );
}
