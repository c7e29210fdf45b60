import type { IncomingMessage } from 'node:http';
import { AppError } from '../shared/errors.js';

/**
 * Reads the request body as UTF-8 (anything else is refused, 400) without ever buffering more than `limit` bytes: a declared length past the
 * limit is refused before reading; a chunked body is cut off as soon as it passes the limit.
 * Compressed bodies are refused (WeCom does not compress; inflating would sidestep the limit).
 * Throws AppError payload_too_large (413), unsupported_media_type (415) or invalid_body (400, not UTF-8).
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    throw new AppError({
      code: 'unsupported_media_type',
      message: `content-encoding ${encoding} not accepted`,
      userMessage: '不接受压缩的请求体',
    });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf);
  }
  const bytes = Buffer.concat(chunks);
  try {
    return UTF8.decode(bytes);
  } catch {
    // Bytes of another encoding (GBK…) would otherwise reach the parsers as U+FFFD, silently changed.
    throw new AppError({
      code: 'invalid_body',
      message: 'body is not UTF-8',
      userMessage: '请求体须为 UTF-8 编码',
    });
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(limit: number): AppError {
  return new AppError({ code: 'payload_too_large', message: `body past ${limit} bytes` });
}
