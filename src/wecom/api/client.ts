import { z } from 'zod';
import type { OutboundMessage } from '../outbound.js';
import { isTokenError, WecomApiError, WecomTransportError } from '../errors.js';
import { MAX_RECIPIENTS_PER_SEND } from '../limits.js';
import type { TokenProvider } from './tokenProvider.js';
import type { HttpTransport } from './transport.js';

/**
 * A thin typed client over the WeCom server API (qyapi.weixin.qq.com). It knows tokens and errcodes; pacing,
 * retries of transient failures and bookkeeping belong to the caller (app/sender).
 */

export interface SendMessageInput {
  touser: string[];
  message: OutboundMessage;
  enableDuplicateCheck?: boolean;
}

export interface SendMessageResult {
  msgId: string | null;
  responseCode: string | null;
  /** Recipients WeCom did not know, in the caller's spelling (WeCom answers them lower-cased). */
  invalidUsers: string[];
  /** Recipients without a 基础接口许可; WeCom does not deliver to them. */
  unlicensedUsers: string[];
}

export interface UpdateTemplateCardInput {
  userids: string[];
  responseCode: string;
  button?: { replace_name: string };
  templateCard?: Record<string, unknown>;
}

export interface WecomClient {
  /** POST `cgi-bin/${path}` with a token; `schema` validates the answer (without it, only errcode is checked). */
  call<T = WecomOk>(path: string, body: unknown, schema?: z.ZodType<T>): Promise<T>;
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
  updateTemplateCard(input: UpdateTemplateCardInput): Promise<void>;
}

export interface WecomClientOptions {
  apiBase: string;
  agentId: number;
  transport: HttpTransport;
  tokens: TokenProvider;
  timeoutMs?: number;
}

const okResponse = z.looseObject({ errcode: z.number(), errmsg: z.string().default('') });
export type WecomOk = z.infer<typeof okResponse>;

const idOrNumber = z.union([z.string(), z.number()]).transform(String);
const sendResponse = z.looseObject({
  errcode: z.number(),
  errmsg: z.string().default(''),
  invaliduser: z.string().default(''),
  unlicenseduser: z.string().default(''),
  msgid: idOrNumber.optional(),
  response_code: z.string().optional(),
});

/**
 * Doc 90236: default 1800 s, max 4 h. Same request JSON inside this window is not delivered twice. We use the maximum:
 * a card batch that was delivered but timed out may be retried after a long 45009 pause, and must still not arrive twice.
 */
const DUPLICATE_CHECK_INTERVAL_S = 4 * 3600;

export function createWecomClient(opts: WecomClientOptions): WecomClient {
  const timeoutMs = opts.timeoutMs ?? 5_000;

  async function post(
    path: string,
    token: string,
    body: unknown,
  ): Promise<WecomOk & Record<string, unknown>> {
    const url = `${opts.apiBase}/cgi-bin/${path}?access_token=${encodeURIComponent(token)}`;
    const res = await opts.transport({ method: 'POST', url, body, timeoutMs });
    const parsed = okResponse.safeParse(res.body);
    // A 2xx JSON answer without errcode is not WeCom speaking (a proxy page, a captive portal): transport-level.
    if (!parsed.success) throw new WecomTransportError({ path, kind: 'http', status: res.status });
    if (parsed.data.errcode !== 0) {
      throw new WecomApiError({ path, errcode: parsed.data.errcode, errmsg: parsed.data.errmsg });
    }
    return parsed.data;
  }

  async function callRaw(path: string, body: unknown): Promise<unknown> {
    const token = await opts.tokens.getToken();
    try {
      return await post(path, token, body);
    } catch (err) {
      if (!isTokenError(err)) throw err;
      // WeCom may end a token early (doc 91039). Drop exactly this one, fetch a fresh one, retry once only:
      // a second token error means a wrong secret, and looping would hammer gettoken.
      await opts.tokens.invalidate(token);
      return post(path, await opts.tokens.getToken(), body);
    }
  }

  function call<T = WecomOk>(path: string, body: unknown, schema?: z.ZodType<T>): Promise<T>;
  async function call(path: string, body: unknown, schema?: z.ZodType): Promise<unknown> {
    const raw = await callRaw(path, body);
    if (!schema) return raw;
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new WecomTransportError({ path, kind: 'http', status: 200, cause: parsed.error });
    return parsed.data;
  }

  return {
    call,

    async sendMessage(input) {
      assertUserIds(input.touser);
      const body = {
        touser: input.touser.join('|'),
        agentid: opts.agentId,
        ...canonical(input.message),
        enable_duplicate_check: input.enableDuplicateCheck ? 1 : 0,
        duplicate_check_interval: DUPLICATE_CHECK_INTERVAL_S,
      };
      // 81013 (all recipients invalid) is errcode ≠ 0, so it surfaces as WecomApiError from call().
      const res = await call('message/send', body, sendResponse);
      return {
        msgId: res.msgid ?? null,
        responseCode: res.response_code || null,
        invalidUsers: inCallerSpelling(res.invaliduser, input.touser),
        unlicensedUsers: inCallerSpelling(res.unlicenseduser, input.touser),
      };
    },

    async updateTemplateCard(input) {
      assertUserIds(input.userids);
      if ((input.button === undefined) === (input.templateCard === undefined)) {
        throw new Error('updateTemplateCard needs exactly one of button or templateCard');
      }
      const body = {
        userids: input.userids,
        agentid: opts.agentId,
        response_code: input.responseCode,
        ...(input.button ? { button: canonical(input.button) } : {}),
        ...(input.templateCard ? { template_card: canonical(input.templateCard) } : {}),
      };
      await call('message/update_template_card', body);
    },
  };
}

function assertUserIds(ids: string[]): void {
  if (ids.length === 0 || ids.length > MAX_RECIPIENTS_PER_SEND)
    throw new Error(`between 1 and ${MAX_RECIPIENTS_PER_SEND} userids required`);
  // '|' is WeCom's list separator: an id containing it would address someone else.
  if (ids.some((id) => id === '' || id.includes('|')))
    throw new Error('userids must be non-empty and contain no "|"');
}

/**
 * Same message → same bytes, whatever order its keys were built in: WeCom's enable_duplicate_check compares the
 * request JSON, so a retried send must serialize identically to be recognised. Nested keys are sorted; arrays
 * keep their order (it is meaningful: buttons, options).
 */
function canonical<T>(value: T): T;
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => canonical(item));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, {
      value: canonical(Reflect.get(value, key)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** WeCom lower-cases returned userids; map them back so callers can match against what they sent. */
function inCallerSpelling(list: string, sent: string[]): string[] {
  if (list === '') return [];
  const byLower = new Map(sent.map((id) => [id.toLowerCase(), id]));
  return list
    .split('|')
    .filter((id) => id !== '')
    .map((id) => byLower.get(id.toLowerCase()) ?? id);
}
