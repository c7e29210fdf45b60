import { z } from 'zod';
import type { AdminRoute } from '../../core/adminRoute.js';
import { AppError, invalidBody } from '../../shared/errors.js';
import type { SurveyAdmin } from './surveyAdmin.js';

const OpenBody = z.strictObject({
  /** A new closing time (北京时间 `YYYY-MM-DD HH:mm`); default: the survey file's. */
  closesAt: z.string().max(40).optional(),
});

/**
 * The surveys' part of the admin API (under /admin/api, behind the bearer token): the list (id, title, state,
 * responses), the results of one (JSON; `?by=<question>` adds a cross-tabulation, `?audience=citizens|members`
 * keeps one kind of respondent), open (now until its closing time or the one given) and close.
 */
export function surveyAdminRoutes(admin: SurveyAdmin): AdminRoute[] {
  const open: AdminRoute<z.infer<typeof OpenBody>> = {
    method: 'POST',
    path: '/surveys/:id/open',
    body: OpenBody,
    async handle({ params, body }) {
      const id = params['id'] ?? '';
      const result = await admin.open(id, body.closesAt);
      if (result === 'notFound') throw notFound(id);
      if (!result.ok) throw invalidBody([{ field: result.field, message: result.message }]);
      return { status: 200, body: { id, state: 'open', closesAt: result.closesAt.toISOString() } };
    },
  };
  return [
    {
      method: 'GET',
      path: '/surveys',
      async handle() {
        return { status: 200, body: { surveys: await admin.list() } };
      },
    },
    {
      method: 'GET',
      path: '/surveys/:id/results',
      async handle({ params, query }) {
        const id = params['id'] ?? '';
        const audience = query['audience'];
        if (audience !== undefined && audience !== 'citizens' && audience !== 'members')
          throw invalidBody([{ field: 'audience', message: 'audience 只能是 citizens 或 members' }]);
        const results = await admin.results(id, {
          ...(query['by'] ? { by: query['by'] } : {}),
          ...(audience ? { audience } : {}),
        });
        if (results === 'notFound') throw notFound(id);
        if ('error' in results) throw invalidBody([{ field: 'by', message: results.error }]);
        return { status: 200, body: results };
      },
    },
    open,
    {
      method: 'POST',
      path: '/surveys/:id/close',
      async handle({ params }) {
        const id = params['id'] ?? '';
        const result = await admin.close(id);
        if (result === 'notFound') throw notFound(id);
        return { status: 200, body: { id, state: 'closed' } };
      },
    },
  ];
}

function notFound(id: string): AppError {
  return new AppError({
    code: 'not_found',
    message: `no survey ${id.slice(0, 64)}`,
    userMessage: '没有这份问卷',
  });
}
