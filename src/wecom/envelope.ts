import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFlatXml } from './flatXml.js';
import { decryptMessage, verifySignature, WecomCryptoError, WECOM_CRYPTO_CODES } from './crypto.js';

/**
 * Opening a WeCom callback request (doc 90238), before anything is stored. Every check here runs on
 * attacker-controlled input, so the order is fixed: cheap syntax checks, freshness, envelope shape, signature,
 * and only then decryption.
 */

/** Why a callback was refused. `reason` is a short code for logs and metrics; the response body stays empty. */
export class CallbackRejection extends Error {
  readonly status: 400 | 403 | 413 | 415;
  readonly reason: string;
  /** For 'stale': the request's timestamp subtracted from the server's clock, in seconds. */
  readonly skewSeconds: number | undefined;
  constructor(
    status: 400 | 403 | 413 | 415,
    reason: string,
    options?: { cause?: unknown; skewSeconds?: number },
  ) {
    super(
      `callback rejected: ${reason}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'CallbackRejection';
    this.status = status;
    this.reason = reason;
    this.skewSeconds = options?.skewSeconds;
  }
}

export interface CallbackCredentials {
  corpId: string;
  token: string;
  encodingAesKey: string;
}

export type CallbackQuery = Record<string, string | string[] | undefined>;

interface OpenOptions {
  query: CallbackQuery;
  credentials: CallbackCredentials;
  now: Date;
  maxSkewSeconds: number;
}

const SIGNATURE_RE = /^[0-9a-f]{40}$/;
const TIMESTAMP_RE = /^\d{9,11}$/;
const NONCE_RE = /^[A-Za-z0-9]{1,64}$/;
const ENCRYPT_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const DOCTYPE_RE = /<!(DOCTYPE|ENTITY)/i;
const XML_ENCODING_RE = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']*)["']/i;

/**
 * The envelope is parsed before the signature is checked: no entity processing (DOCTYPE is refused anyway), no
 * number coercion, a small depth cap. fast-xml-parser 5 throws on `__proto__`/`constructor` tag names
 * (strictReservedNames), which we turn into a 400.
 */
export const HARDENED_XML_OPTIONS = {
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 20,
  strictReservedNames: true,
} as const;

const envelopeParser = new XMLParser(HARDENED_XML_OPTIONS);

/** GET URL verification: returns the decrypted echostr, to be sent back as the whole response body. */
export function openUrlVerification(opts: OpenOptions): string {
  const params = readParams(opts.query, true);
  // Koa's querystring turns a literal '+' into a space; base64 never contains spaces (doc 90238 note).
  const echostr = params.echostr.replace(/ /g, '+');
  checkFreshness(params.timestamp, opts.now, opts.maxSkewSeconds);
  checkSignature(opts.credentials.token, params, echostr);
  return decryptOrReject(opts.credentials, echostr);
}

/** POST message callback: returns the Encrypt value (for storage) and its authenticated plaintext. */
export function openCallback(opts: OpenOptions & { body: string }): { encrypted: string; plaintext: string } {
  const params = readParams(opts.query, false);
  checkFreshness(params.timestamp, opts.now, opts.maxSkewSeconds);
  const envelope = parseEnvelope(opts.body);
  if (envelope.toUserName !== null && envelope.toUserName !== opts.credentials.corpId) {
    throw new CallbackRejection(400, 'to_user_mismatch');
  }
  checkSignature(opts.credentials.token, params, envelope.encrypt);
  return { encrypted: envelope.encrypt, plaintext: decryptOrReject(opts.credentials, envelope.encrypt) };
}

interface Params {
  signature: string;
  timestamp: string;
  nonce: string;
  echostr: string;
}

function readParams(query: CallbackQuery, withEchostr: boolean): Params {
  const signature = single(query, 'msg_signature');
  const timestamp = single(query, 'timestamp');
  const nonce = single(query, 'nonce');
  const echostr = withEchostr ? single(query, 'echostr') : '';
  if (!signature || !timestamp || !nonce || (withEchostr && !echostr)) {
    throw new CallbackRejection(400, 'missing_params');
  }
  // A malformed signature is treated like a wrong one (403), so probing the format teaches nothing.
  if (!SIGNATURE_RE.test(signature)) throw new CallbackRejection(403, 'bad_signature');
  if (!TIMESTAMP_RE.test(timestamp)) throw new CallbackRejection(400, 'bad_timestamp');
  if (!NONCE_RE.test(nonce)) throw new CallbackRejection(400, 'bad_nonce');
  return { signature, timestamp, nonce, echostr: echostr ?? '' };
}

/** A repeated parameter (`?nonce=a&nonce=b`) is ambiguous, so it is refused rather than guessed. */
function single(query: CallbackQuery, name: string): string | undefined {
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  if (Array.isArray(value)) throw new CallbackRejection(400, 'duplicate_params');
  return value;
}

function checkFreshness(timestamp: string, now: Date, maxSkewSeconds: number): void {
  const skew = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(skew) > maxSkewSeconds) throw new CallbackRejection(403, 'stale', { skewSeconds: skew });
}

function checkSignature(token: string, params: Params, encrypt: string): void {
  if (!verifySignature(token, params.timestamp, params.nonce, encrypt, params.signature)) {
    throw new CallbackRejection(403, 'bad_signature');
  }
}

function decryptOrReject(credentials: CallbackCredentials, encrypted: string): string {
  try {
    return decryptMessage(credentials.encodingAesKey, encrypted, credentials.corpId);
  } catch (err) {
    if (err instanceof WecomCryptoError && err.code === WECOM_CRYPTO_CODES.validateReceiveId) {
      // Signed by someone holding our token but meant for another receiver: most likely a misconfiguration.
      throw new CallbackRejection(403, 'receiveid_mismatch', { cause: err });
    }
    throw new CallbackRejection(400, 'decrypt_failed', { cause: err });
  }
}

function parseEnvelope(rawBody: string): { encrypt: string; toUserName: string | null } {
  const body = rawBody.startsWith('\uFEFF') ? rawBody.slice(1) : rawBody;
  if (body.trim() === '') throw new CallbackRejection(400, 'bad_xml');
  if (DOCTYPE_RE.test(body)) throw new CallbackRejection(400, 'doctype');
  // WeCom sends UTF-8 only; a declaration of another encoding (GBK…) is refused rather than read as UTF-8.
  const declared = XML_ENCODING_RE.exec(body)?.[1];
  if (declared !== undefined && !/^utf-?8$/i.test(declared)) throw new CallbackRejection(400, 'not_utf8');
  // WeCom's own flat form is read directly; anything else goes through the validator and the parser.
  const xml = readFlatXml(body) ?? readEnvelopeFully(body);
  const encrypt = Object.hasOwn(xml, 'Encrypt') ? xml['Encrypt'] : undefined;
  // Two <Encrypt> elements parse to an array and a nested element to an object: both are type confusion.
  if (typeof encrypt !== 'string' || encrypt.length % 4 !== 0 || !ENCRYPT_RE.test(encrypt)) {
    throw new CallbackRejection(400, 'bad_encrypt');
  }
  const toUser = Object.hasOwn(xml, 'ToUserName') ? xml['ToUserName'] : undefined;
  if (toUser !== undefined && typeof toUser !== 'string')
    throw new CallbackRejection(400, 'to_user_mismatch');
  return { encrypt, toUserName: toUser ?? null };
}

/** The full way: validate, parse with the hardened options, require a sole <xml> root (400 otherwise). */
export function readEnvelopeFully(body: string): Record<string, unknown> {
  // The parser alone accepts unclosed tags and silently returns {} for non-XML, so validate first.
  if (XMLValidator.validate(body) !== true) throw new CallbackRejection(400, 'bad_xml');
  let parsed: unknown;
  try {
    parsed = envelopeParser.parse(body);
  } catch (cause) {
    throw new CallbackRejection(400, 'bad_xml', { cause });
  }
  const xml = soleXmlRoot(parsed);
  if (xml === null) throw new CallbackRejection(400, 'bad_xml');
  return xml;
}

/** The parsed document must be exactly `{ xml: { … } }` (declarations are dropped by the parser options). */
export function soleXmlRoot(parsed: unknown): Record<string, unknown> | null {
  if (!isRecord(parsed)) return null;
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'xml') return null;
  const xml = parsed['xml'];
  return isRecord(xml) ? xml : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
