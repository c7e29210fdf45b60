import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { NoticeAdmin } from './noticeAdmin.js';
import type { NoticeReceipts } from './noticeReceipts.js';
import { BodyError, readRawBody } from '../../http/readRawBody.js';

export interface AdminApiDeps {
  /** The ADMIN_TOKEN; callers present it as `Authorization: Bearer <token>`. */
  token: string;
  notices: NoticeAdmin;
}

/** Notice bodies are a few KiB at most (content is ≤112 characters; userid lists dominate). */
const ADMIN_BODY_LIMIT = 512 * 1024;

const NOTICE_FIELDS = new Set([
  'title',
  'kind',
  'startsAt',
  'place',
  'content',
  'audience',
  'replyBy',
  'leaveNeedsReason',
  'createdBy',
]);

/**
 * The staff-facing admin API under /admin/api (on only when ADMIN_TOKEN is set). Bad requests get 400 with every
 * problem (field + Chinese message), a missing or wrong token 401, unknown notices 404.
 */
export function createAdminRouter(deps: AdminApiDeps): Router {
  const router = new Router({ prefix: '/admin/api' });
  const expected = digest(deps.token);

  router.use(async (ctx, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    // Compared as digests: constant time, whatever the length of what was presented.
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), expected)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized', message: '需要有效的管理令牌（Authorization: Bearer …）' };
      return;
    }
    await next();
  });

  router.post('/notices', async (ctx) => {
    const body = await readJson(ctx);
    if (body === undefined) return;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalid(ctx, [{ field: '(body)', message: '请求体应为 JSON 对象' }]);
    }
    const unknown = Object.keys(body)
      .filter((k) => !NOTICE_FIELDS.has(k))
      .map((k) => ({ field: k, message: `未知字段「${k}」` }));
    const result = await deps.notices.create(body, idempotencyKey(ctx));
    if (!result.ok || unknown.length > 0)
      return invalid(ctx, [...unknown, ...(result.ok ? [] : result.problems)]);
    ctx.status = 201;
    ctx.body = { id: result.id };
  });

  router.post('/notices/:id/send', async (ctx) => {
    const id = noticeId(ctx);
    if (id === null) return;
    const result = await deps.notices.send(id);
    if (result === 'notFound') return notFound(ctx);
    if (!result.ok) return invalid(ctx, [{ field: 'audience', message: result.reason }]);
    ctx.status = 202;
    ctx.body = { id, recipients: result.count };
  });

  router.post('/notices/:id/remind', async (ctx) => {
    const id = noticeId(ctx);
    if (id === null) return;
    const result = await deps.notices.remind(id, idempotencyKey(ctx));
    if (result === 'notFound') return notFound(ctx);
    if (result === 'notSent') {
      ctx.status = 409;
      ctx.body = { error: 'not_sent', message: '通知尚未发送，无法提醒' };
      return;
    }
    ctx.status = 202;
    ctx.body = { id, reminded: result.count };
  });

  router.get('/notices/:id/receipts', async (ctx) => {
    const id = noticeId(ctx);
    if (id === null) return;
    const receipts = await deps.notices.receipts(id);
    if (!receipts) return notFound(ctx);
    ctx.body = receiptsJson(receipts);
  });

  return router;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function idempotencyKey(ctx: Context): string | null {
  const key = ctx.get('idempotency-key').trim();
  return key === '' ? null : key.slice(0, 120);
}

function invalid(ctx: Context, problems: { field: string; message: string }[]): void {
  ctx.status = 400;
  ctx.body = {
    error: 'invalid_body',
    message: problems.map((p) => `${p.field}：${p.message}`).join('；'),
    problems,
  };
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { error: 'not_found', message: '没有这份通知' };
}

function noticeId(ctx: Context): number | null {
  const raw = String(ctx.params['id'] ?? '');
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    notFound(ctx);
    return null;
  }
  return Number(raw);
}

/** The parsed JSON body, or undefined after answering 400 / 415. */
async function readJson(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) {
    ctx.status = 415;
    ctx.body = {
      error: 'unsupported_media_type',
      message: '请求体应为 JSON（Content-Type: application/json）',
    };
    return undefined;
  }
  let text: string;
  try {
    text = await readRawBody(ctx.req, ADMIN_BODY_LIMIT);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    ctx.status = err.status;
    ctx.body = { error: 'bad_body', message: err.status === 413 ? '请求体过大' : '无法读取请求体' };
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    invalid(ctx, [{ field: '(body)', message: '请求体不是合法的 JSON' }]);
    return undefined;
  }
}

function receiptsJson(r: NoticeReceipts): unknown {
  const n = r.notice;
  return {
    notice: {
      id: n.id,
      title: n.title,
      kind: n.kind,
      startsAt: n.startsAt.toISOString(),
      place: n.place,
      content: n.content,
      audience: n.audience,
      replyBy: n.replyBy.toISOString(),
      leaveNeedsReason: n.leaveNeedsReason,
      createdBy: n.createdBy,
      status: n.status,
      sentAt: n.sentAt?.toISOString() ?? null,
    },
    counts: r.counts,
    recipients: r.recipients.map((x) => ({
      userid: x.userId,
      name: x.name,
      answer: x.answer,
      reason: x.reason,
      answeredAt: x.answeredAt?.toISOString() ?? null,
      delivery: x.delivery,
      deliveryError: x.deliveryError,
    })),
  };
}
