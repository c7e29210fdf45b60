import type { z } from 'zod';

/** An admin API route a feature declares (mounted under /admin/api by http/, behind the bearer token). */
export interface AdminRoute {
  method: 'GET' | 'POST';
  /** Koa-style path, e.g. '/notices/:id/send'. */
  path: string;
  body?: z.ZodType;
  handle(req: {
    params: Record<string, string>;
    body: unknown;
    query: Record<string, string | string[] | undefined>;
    idempotencyKey: string | null;
  }): Promise<{ status: number; body: unknown }>;
}
