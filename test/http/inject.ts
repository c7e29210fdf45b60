import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

export interface Injected {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON when the response says it is JSON, else undefined. */
  json: unknown;
}

/**
 * Runs one request through a Koa app in-process: no listening server, no socket I/O. The request is a real
 * IncomingMessage (so body readers stream it as usual); the response is captured at `end`.
 */
export async function inject(
  app: { callback(): (req: IncomingMessage, res: ServerResponse) => unknown },
  request: { method: string; url: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Injected> {
  const req = new IncomingMessage(new Socket());
  req.method = request.method;
  req.url = request.url;
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  req.headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  if (body && req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined)
    req.headers['content-length'] = String(body.length);
  if (body) req.push(body);
  req.push(null);

  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => {
    const end = (chunk?: unknown): ServerResponse => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) chunks.push(Buffer.from(chunk));
      resolve();
      return res;
    };
    res.end = end as ServerResponse['end'];
  });
  await app.callback()(req, res);
  await ended;
  const text = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)]));
  const json = headers['content-type']?.includes('json') ? JSON.parse(text) : undefined;
  return { status: res.statusCode, headers, text, json };
}
