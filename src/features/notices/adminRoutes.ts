import type { AdminRoute } from '../../core/adminRoute.js';
import { AppError, invalidBody } from '../../shared/errors.js';
import type { NoticeAdmin } from './noticeAdmin.js';
import { noticeBodySchema, type NoticeBody } from './noticeBodySchema.js';
import type { NoticeReceipts } from './noticeReceipts.js';

/**
 * The notices' part of the staff admin API (mounted under /admin/api when ADMIN_TOKEN is set): create a draft
 * (201), send it (202), remind non-responders (202), read the receipts. A bad body is 400 with every problem
 * (field + Chinese message); an unknown notice 404; reminding an unsent one 409.
 */
export function noticeAdminRoutes(notices: NoticeAdmin): AdminRoute[] {
  const create: AdminRoute<NoticeBody> = {
    method: 'POST',
    path: '/notices',
    body: noticeBodySchema((input) => notices.checkFields(input)),
    async handle({ body, idempotencyKey }) {
      const result = await notices.create(body, idempotencyKey);
      if (!result.ok) throw invalidBody(result.problems);
      return { status: 201, body: { id: result.id } };
    },
  };
  return [
    create,
    {
      method: 'POST',
      path: '/notices/:id/send',
      async handle({ params }) {
        const id = noticeId(params);
        const result = await notices.send(id);
        if (result === 'notFound') throw notFound(id);
        if (!result.ok) throw invalidBody([{ field: 'audience', message: result.reason }]);
        return { status: 202, body: { id, recipients: result.count } };
      },
    },
    {
      method: 'POST',
      path: '/notices/:id/remind',
      async handle({ params, idempotencyKey }) {
        const id = noticeId(params);
        const result = await notices.remind(id, idempotencyKey);
        if (result === 'notFound') throw notFound(id);
        if (result === 'notSent') {
          throw new AppError({
            code: 'conflict',
            message: `notice ${id} not sent: no reminder`,
            userMessage: '通知尚未发送，无法提醒',
          });
        }
        return { status: 202, body: { id, reminded: result.count } };
      },
    },
    {
      method: 'GET',
      path: '/notices/:id/receipts',
      async handle({ params }) {
        const id = noticeId(params);
        const receipts = await notices.receipts(id);
        if (!receipts) throw notFound(id);
        return { status: 200, body: receiptsJson(receipts) };
      },
    },
  ];
}

function notFound(id: number | string): AppError {
  return new AppError({ code: 'not_found', message: `no notice ${id}`, userMessage: '没有这份通知' });
}

/** A notice id as the store keeps it (a positive 32-bit integer); anything else names no notice. */
function noticeId(params: Readonly<Record<string, string>>): number {
  const raw = params['id'] ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(raw.slice(0, 40));
  return Number(raw);
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
    // "paused: quota": WeCom's 45009 block holds the rest of the cards until then.
    paused: r.paused ? { reason: r.paused.reason, until: r.paused.until.toISOString() } : null,
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
