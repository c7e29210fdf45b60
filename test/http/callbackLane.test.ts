import { request as httpRequest, createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createHttpHandler, type HttpDeps } from '../../src/http/createApp.js';
import { CallbackRejection } from '../../src/wecom/envelope.js';

/**
 * The callback lane answers POST /wecom/callback without Koa: it must answer exactly as the Koa route does. The same
 * requests go to a server with the lane and to one with Koa alone (same deps), and everything a caller or an
 * operator sees is compared: status, headers, body, what ingest received, and the log lines.
 */

interface Seen {
  query: unknown;
  body: string;
}

function deps(accepting: { value: boolean }) {
  const lines: Record<string, unknown>[] = [];
  const seen: Seen[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const d: HttpDeps = {
    logger: pino({ level: 'info' }, stream),
    verifyUrl: () => 'echo',
    // What the body asks for: the deps stand in for ingestCallback, the lane's plumbing is under test.
    ingest: async (query, body) => {
      seen.push({ query: { ...query }, body });
      if (body === 'forged') throw new CallbackRejection(403, 'bad_signature');
      if (body === 'stale') throw new CallbackRejection(403, 'stale', { skewSeconds: 600 });
      if (body === 'broken') throw new CallbackRejection(400, 'bad_xml');
      if (body === 'down') return { status: 503 };
      if (body === 'bug') throw new Error('something unexpected');
      return { status: 200 };
    },
    readiness: async () => ({ database: true }),
    isAccepting: () => accepting.value,
  };
  return { d, lines, seen };
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function send(
  base: string,
  req: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      `${base}${req.path}`,
      { method: req.method ?? 'POST', headers: req.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const { date: _date, connection: _c, 'keep-alive': _k, ...headers } = res.headers;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Log lines without what differs by nature between two runs. */
const comparable = (lines: Record<string, unknown>[]) =>
  lines.map(({ time: _t, pid: _p, hostname: _h, requestId, ms: _ms, stack, ...rest }) => ({
    ...rest,
    // The frames differ (lane vs middleware); the error's own line does not.
    ...(typeof stack === 'string' ? { stack: stack.split('\n')[0] } : {}),
    requestId: typeof requestId === 'string' && requestId.startsWith('given-') ? requestId : typeof requestId,
  }));

const Q = '/wecom/callback?msg_signature=abc&timestamp=1&nonce=n';
const cases: { name: string; req: Parameters<typeof send>[1] }[] = [
  { name: 'accepted', req: { path: Q, body: 'ok' } },
  {
    name: 'repeated and encoded parameters',
    req: { path: `${Q}&nonce=m&x=a+b%2Bc%20d&empty=&flag`, body: 'ok' },
  },
  { name: 'a fragment', req: { path: `${Q}#frag`, body: 'ok' } },
  { name: 'no query', req: { path: '/wecom/callback', body: 'ok' } },
  { name: 'forged', req: { path: Q, body: 'forged' } },
  { name: 'stale (clock skew alert)', req: { path: Q, body: 'stale' } },
  { name: 'stale again (alert rate-limited)', req: { path: Q, body: 'stale' } },
  { name: 'broken XML', req: { path: Q, body: 'broken' } },
  { name: 'store down', req: { path: Q, body: 'down' } },
  { name: 'a bug', req: { path: Q, body: 'bug' } },
  { name: 'declared too large', req: { path: Q, body: Buffer.alloc(70_000, 'a') } },
  {
    name: 'chunked too large',
    req: { path: Q, headers: { 'transfer-encoding': 'chunked' }, body: Buffer.alloc(70_000, 'a') },
  },
  { name: 'gzip', req: { path: Q, headers: { 'content-encoding': 'gzip' }, body: 'x' } },
  { name: 'not UTF-8', req: { path: Q, body: Buffer.from([0xc4, 0xe3, 0xba, 0xc3]) } },
  { name: 'empty body', req: { path: Q, body: '' } },
  {
    name: 'given request id and forwarded address',
    req: {
      path: Q,
      headers: { 'x-request-id': 'given-1', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
      body: 'forged',
    },
  },
  { name: 'trailing slash (Koa router)', req: { path: '/wecom/callback/?a=1', body: 'ok' } },
  { name: 'other case (Koa router)', req: { path: '/WECOM/callback?a=1', body: 'ok' } },
  { name: 'GET', req: { method: 'GET', path: '/wecom/callback?echostr=x' } },
  { name: 'PUT', req: { method: 'PUT', path: Q, body: 'ok' } },
];

describe('the callback lane answers as the Koa route', () => {
  const accepting = { value: true };
  const lane = deps(accepting);
  const koa = deps(accepting);
  let laneServer: { server: Server; url: string };
  let koaServer: { server: Server; url: string };

  beforeAll(async () => {
    laneServer = await listen(createHttpHandler(lane.d));
    koaServer = await listen(createApp(koa.d).callback());
  });
  afterAll(async () => {
    await new Promise((r) => laneServer.server.close(r));
    await new Promise((r) => koaServer.server.close(r));
  });

  for (const c of cases) {
    it(c.name, async () => {
      const before = [lane.lines.length, koa.lines.length, lane.seen.length, koa.seen.length] as const;
      const a = await send(laneServer.url, c.req);
      const b = await send(koaServer.url, c.req);
      const { 'x-request-id': idA, ...headersA } = a.headers;
      const { 'x-request-id': idB, ...headersB } = b.headers;
      expect({ ...a, headers: headersA }).toEqual({ ...b, headers: headersB });
      expect(typeof idA).toBe('string');
      expect(typeof idB).toBe('string');
      if (c.req.headers?.['x-request-id']) expect(idA).toBe(c.req.headers['x-request-id']);
      expect(lane.seen.slice(before[2])).toEqual(koa.seen.slice(before[3]));
      expect(comparable(lane.lines.slice(before[0]))).toEqual(comparable(koa.lines.slice(before[1])));
    });
  }

  it('while shutting down, refuses with 503 as Koa does', async () => {
    accepting.value = false;
    try {
      const a = await send(laneServer.url, { path: Q, body: 'ok' });
      const b = await send(koaServer.url, { path: Q, body: 'ok' });
      expect(a.status).toBe(503);
      expect({ ...a, headers: { ...a.headers, 'x-request-id': 0 } }).toEqual({
        ...b,
        headers: { ...b.headers, 'x-request-id': 0 },
      });
    } finally {
      accepting.value = true;
    }
  });

  it('takes the lane for POST /wecom/callback, not Koa', async () => {
    // The stack of an unexpected error shows who answered.
    const before = lane.lines.length;
    await send(laneServer.url, { path: Q, body: 'bug' });
    const error = lane.lines.slice(before).find((l) => l['msg'] === 'unexpected error');
    expect(String(error?.['stack'])).toContain('callbackLane');
    expect(String(error?.['stack'])).not.toContain('errorMiddleware');
  });
});
