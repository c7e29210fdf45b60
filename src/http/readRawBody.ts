import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  readonly status: 413 | 415 | 400;
  constructor(status: 413 | 415 | 400, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads the request body as UTF-8 without ever buffering more than `limit` bytes: a declared length past the
 * limit is refused before reading; a chunked body is cut off as soon as it passes the limit.
 * Compressed bodies are refused (WeCom does not compress; inflating would sidestep the limit).
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new BodyError(415, `content-encoding ${encoding} not accepted`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyError(413, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw new BodyError(413, 'body too large');
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text;
}
