import type { z } from 'zod';

/**
 * One route of the staff admin API, declared by the feature that owns it, free of any HTTP framework.
 * http/ mounts a list of them under /admin/api behind the bearer token; it reads and parses the body, calls
 * `handle`, and renders whatever is thrown (an AppError: not_found, conflict, invalid_body, …) as JSON.
 */
export interface AdminRoute<Body = unknown> {
  method: 'GET' | 'POST';
  /** Koa-style, below /admin/api: `/notices/:id/send`. */
  path: string;
  /**
   * The JSON body's schema. When present, http/ requires `Content-Type: application/json`, caps the size, and
   * answers 400 with every issue (unknown fields included) as `problems` before `handle` runs; refinements
   * may add the feature's own per-field problems. When absent, the body is not read and `body` is undefined.
   */
  body?: z.ZodType<Body>;
  handle(request: AdminRequest<Body>): Promise<AdminResponse>;
}

export interface AdminRequest<Body> {
  /** The path's `:name` parameters, as sent (validate them; a malformed id is the route's not_found). */
  params: Readonly<Record<string, string>>;
  /** The query string; a repeated parameter keeps its first value. */
  query: Readonly<Record<string, string>>;
  /** The schema's output (see `AdminRoute.body`). */
  body: Body;
  /** The `Idempotency-Key` header, trimmed and capped at 120 characters; null when absent. */
  idempotencyKey: string | null;
}

/** A success; failures are thrown as AppError. */
export interface AdminResponse {
  status: number;
  body: unknown;
}
