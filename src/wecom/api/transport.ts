import { WecomTransportError } from '../errors.js';

/**
 * The one seam between the WeCom client and the network, so tests and the fake API can swap it. A transport
 * resolves for any JSON answer with a 2xx status (WeCom reports business errors inside a 200), and rejects with
 * a {@link WecomTransportError} otherwise.
 */
export type HttpTransport = (req: {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  timeoutMs: number;
}) => Promise<{ status: number; body: unknown }>;

/** The API path for errors and logs. Never the query string: it carries access_token / corpsecret. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\/cgi-bin\//, '');
  } catch {
    return '(invalid url)';
  }
}

export const fetchTransport: HttpTransport = async (req) => {
  const path = pathOf(req.url);
  const init: RequestInit = { method: req.method, signal: AbortSignal.timeout(req.timeoutMs) };
  if (req.body !== undefined) {
    init.body = JSON.stringify(req.body);
    init.headers = { 'content-type': 'application/json; charset=utf-8' };
  }
  let status: number;
  let text: string;
  try {
    const res = await fetch(req.url, init);
    status = res.status;
    text = await res.text();
  } catch (cause) {
    // AbortSignal.timeout aborts with a TimeoutError; an AbortError can only come from the same signal here.
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    throw new WecomTransportError({ path, kind: timedOut ? 'timeout' : 'network', cause });
  }
  if (status < 200 || status > 299) throw new WecomTransportError({ path, kind: 'http', status });
  try {
    const body: unknown = JSON.parse(text);
    return { status, body };
  } catch (cause) {
    throw new WecomTransportError({ path, kind: 'http', status, cause });
  }
};
