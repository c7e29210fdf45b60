import { z } from 'zod';
import type { AdminRoute } from '../../core/adminRoute.js';
import type { Database } from '../../core/ports.js';
import { AppError, invalidBody } from '../../shared/errors.js';
import { PROPOSAL_STATUSES } from './domain/status.js';
import { commandSchemaWith } from './lifecycle/commandSchema.js';
import type { LifecycleCommand } from './domain/lifecycle.js';
import type { LifecycleService, ProposalListFilter } from './lifecycle/types.js';

const actionBody = commandSchemaWith({
  /** The userid of the staff member, unit contact or member on whose behalf the call acts. */
  actor: z.string().trim().min(1).max(64),
  /** 代录: the unit (without a WeCom contact) a staff member acts for. */
  onBehalfOf: z.string().trim().min(1).max(100).optional(),
});
type ActionBody = z.output<typeof actionBody>;

/**
 * The proposals' part of the staff admin API: the list (filters, paged), one proposal with its timeline, and the
 * lifecycle actions. A refused action is 403 (wrong role) or 409 (wrong state) with the Chinese reason; a bad
 * argument 400; an unknown proposal 404. Nothing changes on a refusal.
 */
export function proposalAdminRoutes(deps: {
  db: Database;
  now: () => Date;
  service: LifecycleService;
  onQueued?: () => void;
}): AdminRoute[] {
  const { db, service } = deps;
  const act: AdminRoute<ActionBody> = {
    method: 'POST',
    path: '/proposals/:id/actions',
    body: actionBody,
    async handle({ params, body }) {
      const id = proposalId(params);
      const { actor, onBehalfOf, ...command } = body;
      // 'system' is the deadline poller's own actor (视为满意), never a caller of the API.
      if (actor === 'system') throw refusal(403, '「system」是系统保留账号，不能通过接口办理提案。', id);
      const result = await service.act(db, deps.now(), {
        proposalId: id,
        actorId: actor,
        command: command as LifecycleCommand,
        ...(onBehalfOf !== undefined ? { onBehalfOfUnit: onBehalfOf } : {}),
      });
      if (!result.ok) throw refusal(result.status, result.reason, id);
      if (result.notifications.length > 0) deps.onQueued?.();
      return {
        status: 200,
        body: {
          action: result.action,
          from: result.from,
          to: result.to,
          notified: result.notifications.map((n) => n.toUser),
          ...(result.sentimentNumber !== undefined ? { sentimentNumber: result.sentimentNumber } : {}),
          proposal: viewJson(result.proposal),
        },
      };
    },
  };
  return [
    {
      method: 'GET',
      path: '/proposals',
      async handle({ query }) {
        const filter = listFilter(query);
        const list = await service.list(db, deps.now(), filter);
        return {
          status: 200,
          body: {
            total: list.total,
            page: list.page,
            pageSize: list.pageSize,
            items: list.items.map((i) => ({ ...i, submittedAt: i.submittedAt.toISOString() })),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/proposals/:id',
      async handle({ params }) {
        const id = proposalId(params);
        const view = await service.view(db, deps.now(), id);
        if (!view) throw notFound(id);
        return { status: 200, body: viewJson(view) };
      },
    },
    act,
  ];
}

function refusal(status: 400 | 403 | 404 | 409, reason: string, id: number): AppError {
  if (status === 400) return invalidBody([{ field: 'action', message: reason }]);
  if (status === 404)
    return new AppError({ code: 'not_found', message: `proposal action: ${reason}`, userMessage: reason });
  return new AppError({
    code: status === 403 ? 'forbidden' : 'conflict',
    message: `proposal ${id}: action refused (${status})`,
    userMessage: reason,
  });
}

function notFound(id: number | string): AppError {
  return new AppError({ code: 'not_found', message: `no proposal ${id}`, userMessage: '没有这件提案' });
}

/** A proposal id as stored (a positive 32-bit integer); anything else names no proposal. */
function proposalId(params: Readonly<Record<string, string>>): number {
  const raw = params['id'] ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(raw.slice(0, 40));
  return Number(raw);
}

function listFilter(q: Readonly<Record<string, string>>): ProposalListFilter {
  const problems: { field: string; message: string }[] = [];
  const filter: ProposalListFilter = {};
  const status = q['state'] ?? q['status'];
  if (status !== undefined) {
    if ((PROPOSAL_STATUSES as readonly string[]).includes(status))
      filter.status = status as ProposalListFilter['status'];
    else problems.push({ field: 'state', message: `应为以下之一：${PROPOSAL_STATUSES.join('、')}` });
  }
  if (q['category']) filter.category = q['category'];
  if (q['unit']) filter.unit = q['unit'];
  const int = (name: 'year' | 'page' | 'pageSize', min: number, max: number) => {
    const v = q[name];
    if (v === undefined) return;
    if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max)
      problems.push({ field: name, message: `应为 ${min}–${max} 之间的整数` });
    else filter[name] = Number(v);
  };
  int('year', 2000, 2100);
  int('page', 1, 100_000);
  int('pageSize', 1, 100);
  const overdue = q['overdue'];
  if (overdue !== undefined) {
    if (overdue === 'true' || overdue === '1') filter.overdue = true;
    else if (overdue === 'false' || overdue === '0') filter.overdue = false;
    else problems.push({ field: 'overdue', message: '应为 true 或 false' });
  }
  if (problems.length > 0) throw invalidBody(problems);
  return filter;
}

function viewJson(v: NonNullable<Awaited<ReturnType<LifecycleService['view']>>>): unknown {
  const iso = (d: Date | null) => (d === null ? null : d.toISOString());
  return {
    ...v,
    assignments: v.assignments.map((a) => ({
      ...a,
      assignedAt: iso(a.assignedAt),
      signedAt: iso(a.signedAt),
    })),
    meetings: v.meetings.map((m) => ({ ...m, at: iso(m.at) })),
    replies: v.replies.map((r) => ({ ...r, at: iso(r.at) })),
    evaluations: v.evaluations.map((e) => ({ ...e, at: iso(e.at) })),
    timeline: v.timeline.map((e) => ({ ...e, at: iso(e.at) })),
    submittedAt: iso(v.submittedAt),
    updatedAt: iso(v.updatedAt),
  };
}
