import { z } from 'zod';
import type { AdminRoute } from '../../core/adminRoute.js';
import type { FeatureRuntime } from '../../core/feature.js';
import { AppError } from '../../shared/errors.js';
import {
  ADOPTION_LEVELS,
  ADOPTION_MODES,
  allowedActions,
  SENTIMENT_ACTION_LABELS,
  SENTIMENT_SOURCES,
  SENTIMENT_SOURCE_LABELS,
  SENTIMENT_STATES,
  SENTIMENT_STATE_LABELS,
  type ReviewRequest,
} from './domain/index.js';
import { SentimentRaceError, type Report, type ReportEvent } from './ports.js';
import { reviewReport } from './review.js';
import { sentimentStore } from './sentimentStore.js';

const text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 字`);
const actor = z.string().trim().min(1, '需要操作人（工作人员账号）').max(64);

/** The body of POST /sentiment/:id/actions, one shape per action (unknown fields refused). */
export const actionBodySchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('adopt'),
    actor,
    level: z.enum(ADOPTION_LEVELS),
    mode: z.enum(ADOPTION_MODES),
  }),
  z.strictObject({ action: z.literal('keep'), actor }),
  z.strictObject({ action: z.literal('return'), actor, reason: text(500) }),
  z.strictObject({ action: z.literal('instruct'), actor, by: text(64), text: text(1000) }),
  z.strictObject({ action: z.literal('report_up'), actor, level: z.enum(ADOPTION_LEVELS) }),
  z.strictObject({
    action: z.literal('forward'),
    actor,
    unit: text(128),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD'),
  }),
  z.strictObject({ action: z.literal('forward_result'), actor, text: text(1000) }),
]);
export type ActionBody = z.infer<typeof actionBodySchema>;

/**
 * The 社情民意 part of the staff admin API: the register with filters, one report with its state code and label
 * and its timeline, and the review actions — the same rules as the staff flows (domain/decide.ts): 403 when the
 * actor is not staff, 409 when the report's state refuses the action, each with the Chinese reason.
 */
export function sentimentAdminRoutes(rt: FeatureRuntime): AdminRoute[] {
  const actions: AdminRoute<ActionBody> = {
    method: 'POST',
    path: '/sentiment/:id/actions',
    body: actionBodySchema,
    async handle({ params, body }) {
      const id = reportId(params);
      const { actor: actorId, ...request } = body;
      const out = await reviewReport(rt.db, {
        reportId: id,
        request: request as ReviewRequest,
        actorId,
        now: rt.clock.now(),
      });
      if (!out.ok)
        throw new AppError({
          code: out.code,
          message: `sentiment ${id}: ${body.action} refused`,
          userMessage: out.reason,
        });
      try {
        await rt.db.commit(out.changes);
      } catch (err) {
        if (!isRace(err)) throw err;
        throw new AppError({
          code: 'conflict',
          message: `sentiment ${id} changed meanwhile`,
          userMessage: '该信息刚刚被其他工作人员处理，请刷新后再试。',
        });
      }
      rt.wakeSender();
      const report = await sentimentStore(rt.db).get(id);
      if (!report) throw notFound(id);
      return { status: 200, body: { ...(await reportJson(rt, report)), told: out.event.tell } };
    },
  };
  return [
    {
      method: 'GET',
      path: '/sentiment',
      async handle({ query }) {
        const state = query['state'];
        const source = query['source'];
        const year = query['year'];
        const problems: { field: string; message: string }[] = [];
        if (state !== undefined && !SENTIMENT_STATES.some((s) => s === state))
          problems.push({ field: 'state', message: `状态只能是 ${SENTIMENT_STATES.join(' / ')}` });
        if (source !== undefined && !SENTIMENT_SOURCES.some((s) => s === source))
          problems.push({ field: 'source', message: '来源只能是 member 或 citizen' });
        if (year !== undefined && !/^(19|20)\d{2}$/.test(year))
          problems.push({ field: 'year', message: '年份应为四位数字，如 2026' });
        if (problems.length > 0)
          throw new AppError({
            code: 'invalid_body',
            message: 'bad sentiment filter',
            userMessage: '查询条件有误',
            problems,
          });
        const list = await sentimentStore(rt.db).list({
          ...(state ? { state: SENTIMENT_STATES.find((s) => s === state) } : {}),
          ...(source ? { source: SENTIMENT_SOURCES.find((s) => s === source) } : {}),
          ...(year ? { year: Number(year) } : {}),
        });
        return { status: 200, body: { count: list.length, reports: list.map(summaryJson) } };
      },
    },
    {
      method: 'GET',
      path: '/sentiment/:id',
      async handle({ params }) {
        const id = reportId(params);
        const report = await sentimentStore(rt.db).get(id);
        if (!report) throw notFound(id);
        return { status: 200, body: await reportJson(rt, report) };
      },
    },
    actions,
  ];
}

function summaryJson(r: Report): Record<string, unknown> {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    category: r.category,
    source: r.source,
    sourceLabel: SENTIMENT_SOURCE_LABELS[r.source],
    // A citizen is shown by pseudonym only.
    reporter: r.reporterId,
    jointReporters: r.jointIds,
    state: r.state,
    stateLabel: SENTIMENT_STATE_LABELS[r.state],
    level: r.level,
    adoptionMode: r.adoptionMode,
    instructions: r.instructions,
    submittedAt: r.submittedAt.toISOString(),
  };
}

async function reportJson(rt: FeatureRuntime, r: Report): Promise<Record<string, unknown>> {
  const events = await sentimentStore(rt.db).events(r.id);
  return {
    ...summaryJson(r),
    situation: r.situation,
    analysis: r.analysis,
    suggestions: r.suggestions,
    town: r.town,
    contact: r.contact,
    forwardUnit: r.forwardUnit,
    forwardDue: r.forwardDue,
    proposalId: r.proposalId,
    allowedActions: allowedActions(r),
    timeline: events.map(eventJson),
  };
}

function eventJson(e: ReportEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    action: e.action,
    actionLabel: SENTIMENT_ACTION_LABELS[e.action],
    state: e.state,
    stateLabel: SENTIMENT_STATE_LABELS[e.state],
    actor: e.actorId,
    summary: e.summary,
    detail: e.detail,
    at: e.at.toISOString(),
  };
}

function notFound(id: number | string): AppError {
  return new AppError({
    code: 'not_found',
    message: `no sentiment report ${id}`,
    userMessage: '没有这条社情民意信息',
  });
}

function reportId(params: Readonly<Record<string, string>>): number {
  const raw = params['id'] ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound(raw.slice(0, 40));
  return Number(raw);
}

/** The commit failed because another action moved the report first (possibly wrapped by the store). */
function isRace(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e instanceof SentimentRaceError) return true;
  return false;
}
