import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AdminRoute } from '../../src/core/adminRoute.js';
import { createApp, type HttpDeps } from '../../src/http/createApp.js';
import { APP_ERROR_CODES, AppError, statusOf, type AppErrorCode } from '../../src/shared/errors.js';
import { CallbackRejection } from '../../src/wecom/envelope.js';
import { inject } from './inject.js';

const TOKEN = 'unit-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function app(over: Partial<HttpDeps> = {}, routes: AdminRoute[] = []) {
  const { logger, lines } = capturedLogger();
  const deps: HttpDeps = {
    logger,
    verifyUrl: () => 'echo',
    ingest: async () => ({ status: 200 }),
    readiness: async () => ({ database: true }),
    isAccepting: () => true,
    admin: { token: TOKEN, routes },
    ...over,
  };
  return { app: createApp(deps), lines };
}

const throwing = (make: (code: string) => unknown): AdminRoute => ({
  method: 'GET',
  path: '/throw/:code',
  async handle({ params }) {
    throw make(params['code'] ?? '');
  },
});

describe('the status table', () => {
  it('gives every code its status', () => {
    expect(Object.fromEntries(APP_ERROR_CODES.map((c) => [c, statusOf(c)]))).toEqual({
      bad_request: 400,
      invalid_body: 400,
      callback_rejected: 400,
      flow_invalid: 400,
      table_unreadable: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      method_not_allowed: 405,
      conflict: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      internal: 500,
      store_unavailable: 503,
      unavailable: 503,
    });
  });
});

describe('the error middleware', () => {
  it.each(APP_ERROR_CODES)(
    'renders an AppError %s with its status and Chinese message, as JSON',
    async (code) => {
      const { app: a } = app({}, [
        throwing(
          (c) =>
            new AppError({
              code: APP_ERROR_CODES.find((x) => x === c) ?? 'internal',
              message: 'secret detail',
            }),
        ),
      ]);
      const res = await inject(a, { method: 'GET', url: `/admin/api/throw/${code}`, headers: auth });
      expect(res.status).toBe(statusOf(code));
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json).toEqual({ error: code, message: expect.stringMatching(/\p{Script=Han}/u) });
      expect(res.text).not.toContain('secret detail');
    },
  );

  it('keeps a thrower’s own user message and problems', async () => {
    const { app: a } = app({}, [
      throwing(
        () =>
          new AppError({
            code: 'invalid_body',
            message: 'x',
            userMessage: '标题不能为空',
            problems: [{ field: 'title', message: '标题不能为空' }],
          }),
      ),
    ]);
    const res = await inject(a, { method: 'GET', url: '/admin/api/throw/x', headers: auth });
    expect(res).toMatchObject({
      status: 400,
      json: {
        error: 'invalid_body',
        message: '标题不能为空',
        problems: [{ field: 'title', message: '标题不能为空' }],
      },
    });
  });

  it('answers an unexpected error with 500 JSON and a generic message, logged with the request id', async () => {
    const { app: a, lines } = app({}, [throwing(() => new TypeError('cannot read x of undefined'))]);
    const res = await inject(a, {
      method: 'GET',
      url: '/admin/api/throw/x',
      headers: { ...auth, 'x-request-id': 'req-42' },
    });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: 'internal', message: '系统繁忙，请稍后再试。' });
    expect(res.text).not.toMatch(/TypeError|undefined|at /);
    expect(res.headers['x-request-id']).toBe('req-42');
    const logged = lines.find((l) => l['msg'] === 'unexpected error');
    expect(logged).toMatchObject({ level: 50, requestId: 'req-42', err: 'cannot read x of undefined' });
  });

  it('renders callback rejections as JSON with the status they carry; the reason stays in the log', async () => {
    for (const [status, code] of [
      [400, 'callback_rejected'],
      [403, 'forbidden'],
    ] as const) {
      const { app: a, lines } = app({
        verifyUrl: () => {
          throw new CallbackRejection(status, 'bad_signature');
        },
      });
      const res = await inject(a, { method: 'GET', url: '/wecom/callback?echostr=1' });
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ error: code, message: expect.any(String) });
      expect(res.text).not.toContain('bad_signature');
      expect(lines.find((l) => l['msg'] === 'callback rejected')).toMatchObject({
        reason: 'bad_signature',
        status,
      });
    }
  });

  it('answers 405 with Allow on other methods of the callback, 503 while shutting down or the inbox is down', async () => {
    const put = await inject(app().app, { method: 'PUT', url: '/wecom/callback', body: 'x' });
    expect(put).toMatchObject({ status: 405, json: { error: 'method_not_allowed' } });
    expect(put.headers['allow']).toBe('GET, POST');
    const closing = await inject(app({ isAccepting: () => false }).app, {
      method: 'POST',
      url: '/wecom/callback',
      body: '<xml/>',
    });
    expect(closing).toMatchObject({ status: 503, json: { error: 'unavailable' } });
    const down = await inject(app({ ingest: async () => ({ status: 503 }) }).app, {
      method: 'POST',
      url: '/wecom/callback',
      body: '<xml/>',
    });
    expect(down).toMatchObject({ status: 503, json: { error: 'store_unavailable' } });
    const ok = await inject(app().app, { method: 'POST', url: '/wecom/callback', body: '<xml/>' });
    expect(ok).toMatchObject({ status: 200, text: '' });
  });

  it('answers a request no route takes with 404 JSON', async () => {
    const res = await inject(app().app, { method: 'GET', url: '/nothing/here' });
    expect(res).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });
});

describe('admin routes', () => {
  const schema = z.strictObject({
    name: z.string(),
    count: z.number().int().min(1),
    tags: z.array(z.string()),
    note: z.string().optional(),
  });
  const seen: unknown[] = [];
  const echo: AdminRoute<z.output<typeof schema>> = {
    method: 'POST',
    path: '/things/:id',
    body: schema,
    async handle(req) {
      seen.push(req);
      return { status: 201, body: { id: req.params['id'], name: req.body.name } };
    },
  };
  const post = (body: string, headers: Record<string, string> = {}) =>
    inject(app({}, [echo]).app, {
      method: 'POST',
      url: '/admin/api/things/7?x=1&x=2',
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      body,
    });

  it('hands the parsed body, params, query and idempotency key to the route and renders its answer', async () => {
    seen.length = 0;
    const res = await post(JSON.stringify({ name: 'a', count: 2, tags: [] }), { 'idempotency-key': ' k1 ' });
    expect(res).toMatchObject({ status: 201, json: { id: '7', name: 'a' } });
    expect(seen).toEqual([
      {
        params: { id: '7' },
        query: { x: '1' },
        body: { name: 'a', count: 2, tags: [] },
        idempotencyKey: 'k1',
      },
    ]);
  });

  it('lists every bad field of a body, unknown ones too, in Chinese', async () => {
    const res = await post(JSON.stringify({ count: 0, tags: ['a', 3], note: 5, colour: 'red', size: 1 }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_body' });
    expect(res.json).toHaveProperty('problems', [
      { field: 'name', message: '缺少此字段' },
      { field: 'count', message: '不能小于 1' },
      { field: 'tags.1', message: '应为文字' },
      { field: 'note', message: '应为文字' },
      { field: 'colour', message: '未知字段「colour」' },
      { field: 'size', message: '未知字段「size」' },
    ]);
  });

  it('refuses a body that is not a JSON object, not JSON, not declared JSON, or too large', async () => {
    expect(await post('[1]')).toMatchObject({
      status: 400,
      json: { problems: [{ field: '(body)', message: '应为 JSON 对象' }] },
    });
    expect(await post('{"name":')).toMatchObject({
      status: 400,
      json: { problems: [{ field: '(body)', message: '请求体不是合法的 JSON' }] },
    });
    expect(await post('{}', { 'content-type': 'text/plain' })).toMatchObject({
      status: 415,
      json: { error: 'unsupported_media_type' },
    });
    expect(await post(JSON.stringify({ name: 'x'.repeat(600_000) }))).toMatchObject({
      status: 413,
      json: { error: 'payload_too_large', message: '请求体过大' },
    });
  });

  it('requires the bearer token (401 JSON with WWW-Authenticate)', async () => {
    const res = await post('{}', { authorization: 'Bearer wrong' });
    expect(res).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });
});

// Compile-time: a code outside the table is not an AppErrorCode.
// @ts-expect-error 'teapot' is not a code
const _notACode: AppErrorCode = 'teapot';
