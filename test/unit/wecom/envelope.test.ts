import { parse as parseQuery } from 'node:querystring';
import { describe, expect, it, vi } from 'vitest';
import * as crypto from '../../../src/wecom/crypto.js';
import { CallbackRejection, openCallback, openUrlVerification } from '../../../src/wecom/envelope.js';
import type { CallbackCredentials, CallbackQuery } from '../../../src/wecom/envelope.js';
import { signCallback, signUrlVerification, textXml } from '../../fakes/wecomSigner.js';
import { A, A1, A2, A2_BODY, B, B2, B2_BODY, encryptRaw, layout } from './vectors.js';

const credsA: CallbackCredentials = { corpId: A.corpId, token: A.token, encodingAesKey: A.encodingAesKey };
const credsB: CallbackCredentials = { corpId: B.corpId, token: B.token, encodingAesKey: B.encodingAesKey };
const at = (seconds: string | number) => new Date(Number(seconds) * 1000);
const SKEW = 300;

/** What Koa's ctx.query gives for a raw query string (node:querystring; '+' becomes a space). */
function koaQuery(raw: string): CallbackQuery {
  return { ...parseQuery(raw) };
}

function rejection(fn: () => unknown): { status: number; reason: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof CallbackRejection) return { status: err.status, reason: err.reason };
    throw err;
  }
}

const NOW = 1_700_000_000;
const plaintext = textXml({
  corpId: A.corpId,
  from: 'zhangsan',
  content: 'hi',
  msgId: '1',
  createTime: NOW,
  agentId: 1000002,
});

function post(opts: { query: string; body: string; now?: number; credentials?: CallbackCredentials }) {
  return () =>
    openCallback({
      query: koaQuery(opts.query),
      body: opts.body,
      credentials: opts.credentials ?? credsA,
      now: at(opts.now ?? NOW),
      maxSkewSeconds: SKEW,
    });
}

/** A correctly signed request whose envelope body is arbitrary (signature over `encrypt`). */
function signedWithBody(body: string, encrypt: string, timestamp = NOW): { query: string; body: string } {
  const ts = String(timestamp);
  const signature = crypto.computeSignature(A.token, ts, '12345', encrypt);
  return { query: `msg_signature=${signature}&timestamp=${ts}&nonce=12345`, body };
}

describe('openUrlVerification', () => {
  it('A1: the official GET (raw query through querystring) returns the echostr plaintext', () => {
    expect(
      openUrlVerification({
        query: koaQuery(A1.rawQuery),
        credentials: credsA,
        now: at(A1.timestamp),
        maxSkewSeconds: SKEW,
      }),
    ).toBe(A1.plaintext);
  });

  it("A1 with a literal '+' (querystring turns it into a space) still verifies", () => {
    const raw = A1.rawQuery.replace(/%2B/g, '+');
    expect(koaQuery(raw)['echostr']).toContain(' ');
    expect(
      openUrlVerification({
        query: koaQuery(raw),
        credentials: credsA,
        now: at(A1.timestamp),
        maxSkewSeconds: SKEW,
      }),
    ).toBe(A1.plaintext);
  });

  it('signer round trip', () => {
    const { query } = signUrlVerification({
      credentials: credsB,
      echostr: '123456789',
      timestamp: NOW,
      nonce: 'abc',
    });
    expect(
      openUrlVerification({
        query: koaQuery(query),
        credentials: credsB,
        now: at(NOW),
        maxSkewSeconds: SKEW,
      }),
    ).toBe('123456789');
  });

  it('rejects missing params, bad formats, stale, bad signature', () => {
    const get =
      (query: CallbackQuery, now = Number(A1.timestamp)) =>
      () =>
        openUrlVerification({ query, credentials: credsA, now: at(now), maxSkewSeconds: SKEW });
    const base = koaQuery(A1.rawQuery);
    expect(rejection(get({ ...base, echostr: undefined }))).toEqual({
      status: 400,
      reason: 'missing_params',
    });
    expect(rejection(get({ ...base, msg_signature: undefined }))).toEqual({
      status: 400,
      reason: 'missing_params',
    });
    expect(rejection(get({ ...base, nonce: ['1', '2'] }))).toEqual({
      status: 400,
      reason: 'duplicate_params',
    });
    expect(rejection(get({ ...base, msg_signature: A1.signature.toUpperCase() }))).toEqual({
      status: 403,
      reason: 'bad_signature',
    });
    expect(rejection(get({ ...base, timestamp: 'abc' }))).toEqual({ status: 400, reason: 'bad_timestamp' });
    expect(rejection(get({ ...base, nonce: 'a-b' }))).toEqual({ status: 400, reason: 'bad_nonce' });
    expect(rejection(get(base, Number(A1.timestamp) + 301))).toEqual({ status: 403, reason: 'stale' });
    expect(rejection(get({ ...base, echostr: `${A1.echostr.slice(0, -4)}AAA=` }))).toEqual({
      status: 403,
      reason: 'bad_signature',
    });
  });

  it('maps decrypt failures: receiveid mismatch 403, garbage 400', () => {
    const other = signUrlVerification({
      credentials: { ...credsA, corpId: 'wwother' },
      echostr: 'x',
      timestamp: NOW,
      nonce: 'n1',
    });
    expect(
      rejection(() =>
        openUrlVerification({
          query: koaQuery(other.query),
          credentials: credsA,
          now: at(NOW),
          maxSkewSeconds: SKEW,
        }),
      ),
    ).toEqual({
      status: 403,
      reason: 'receiveid_mismatch',
    });
    const garbage = 'AAAA';
    const sig = crypto.computeSignature(A.token, String(NOW), 'n1', garbage);
    const query = { msg_signature: sig, timestamp: String(NOW), nonce: 'n1', echostr: garbage };
    expect(
      rejection(() =>
        openUrlVerification({ query, credentials: credsA, now: at(NOW), maxSkewSeconds: SKEW }),
      ),
    ).toEqual({
      status: 400,
      reason: 'decrypt_failed',
    });
  });
});

describe('openCallback: official vectors', () => {
  it('A2: the official POST', () => {
    const query = `msg_signature=${A2.signature}&timestamp=${A2.timestamp}&nonce=${A2.nonce}`;
    expect(post({ query, body: A2_BODY, now: Number(A2.timestamp) })()).toEqual({
      encrypted: A2.encrypt,
      plaintext: A2.plaintext,
    });
  });

  it('B2: the official POST (newlines between elements)', () => {
    const query = `msg_signature=${B2.signature}&timestamp=${B2.timestamp}&nonce=${B2.nonce}`;
    expect(post({ query, body: B2_BODY, now: Number(B2.timestamp), credentials: credsB })()).toEqual({
      encrypted: B2.encrypt,
      plaintext: B2.plaintext,
    });
  });

  it('A2 with an XML declaration and a UTF-8 BOM is accepted', () => {
    const query = `msg_signature=${A2.signature}&timestamp=${A2.timestamp}&nonce=${A2.nonce}`;
    const body = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>${A2_BODY}`;
    expect(post({ query, body, now: Number(A2.timestamp) })().plaintext).toBe(A2.plaintext);
  });

  it('signer round trip, without ToUserName too', () => {
    const signed = signCallback({ credentials: credsA, plaintext, timestamp: NOW, nonce: '99' });
    expect(post(signed)().plaintext).toBe(plaintext);
    const noTo = signed.body.replace(/<ToUserName>.*?<\/ToUserName>/, '');
    expect(post({ query: signed.query, body: noTo })().plaintext).toBe(plaintext);
  });
});

describe('openCallback: rejections', () => {
  const good = signCallback({ credentials: credsA, plaintext, timestamp: NOW, nonce: '4242' });

  it.each([
    ['no msg_signature', 400, 'missing_params', good.query.replace(/msg_signature=[^&]+&/, '')],
    ['no timestamp', 400, 'missing_params', good.query.replace(/timestamp=[^&]+&/, '')],
    ['no nonce', 400, 'missing_params', good.query.replace(/&nonce=[^&]+/, '')],
    ['timestamp abc', 400, 'bad_timestamp', good.query.replace(/timestamp=\d+/, 'timestamp=abc')],
    ['timestamp 1e9', 400, 'bad_timestamp', good.query.replace(/timestamp=\d+/, 'timestamp=1e9')],
    ['timestamp -1', 400, 'bad_timestamp', good.query.replace(/timestamp=\d+/, 'timestamp=-1')],
    ['timestamp 0x5f5e100', 400, 'bad_timestamp', good.query.replace(/timestamp=\d+/, 'timestamp=0x5f5e100')],
    [
      'timestamp 99999999999999',
      400,
      'bad_timestamp',
      good.query.replace(/timestamp=\d+/, 'timestamp=99999999999999'),
    ],
    ['nonce too long', 400, 'bad_nonce', good.query.replace(/nonce=\d+/, `nonce=${'a'.repeat(65)}`)],
    [
      'signature 39 chars',
      403,
      'bad_signature',
      good.query.replace(/msg_signature=([0-9a-f]+)/, (_m, s: string) => `msg_signature=${s.slice(1)}`),
    ],
    [
      'signature uppercase',
      403,
      'bad_signature',
      good.query.replace(/msg_signature=([0-9a-f]+)/, (_m, s: string) => `msg_signature=${s.toUpperCase()}`),
    ],
  ])('%s → %i %s', (_name, status, reason, query) => {
    expect(rejection(post({ query, body: good.body }))).toEqual({ status, reason });
  });

  it('stale boundary: now±301 → 403 stale, now−299 and now+300 → accepted', () => {
    expect(rejection(post({ ...good, now: NOW + 301 }))).toEqual({ status: 403, reason: 'stale' });
    expect(rejection(post({ ...good, now: NOW - 301 }))).toEqual({ status: 403, reason: 'stale' });
    expect(rejection(post({ ...good, now: NOW + 299 }))).toBeNull();
    expect(rejection(post({ ...good, now: NOW - 300 }))).toBeNull();
  });

  it('a flipped signature char in every position → 403 and decryption never runs', () => {
    const spy = vi.spyOn(crypto, 'decryptMessage');
    const sig = new URLSearchParams(good.query).get('msg_signature') ?? '';
    for (let i = 0; i < 40; i++) {
      const flipped = sig.slice(0, i) + (sig[i] === 'a' ? 'b' : 'a') + sig.slice(i + 1);
      expect(rejection(post({ query: good.query.replace(sig, flipped), body: good.body }))).toEqual({
        status: 403,
        reason: 'bad_signature',
      });
    }
    expect(spy).not.toHaveBeenCalled();
    // Positive control: the spy does see the call on an authentic request.
    post(good)();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('a valid signature but another message’s Encrypt → 403', () => {
    const other = signCallback({ credentials: credsA, plaintext, timestamp: NOW, nonce: '4242' });
    expect(rejection(post({ query: good.query, body: other.body }))).toEqual({
      status: 403,
      reason: 'bad_signature',
    });
  });

  const enc = good.encrypted;
  it.each([
    ['empty body', 'bad_xml', ''],
    ['whitespace body', 'bad_xml', '  \n'],
    ['non-XML', 'bad_xml', 'hello world'],
    ['JSON body', 'bad_xml', JSON.stringify({ Encrypt: enc })],
    ['truncated XML', 'bad_xml', `<xml><Encrypt><![CDATA[${enc}`],
    ['unclosed tag', 'bad_xml', `<xml><Encrypt>${enc}</xml>`],
    ['two roots', 'bad_xml', `<xml><Encrypt>${enc}</Encrypt></xml><xml><Encrypt>${enc}</Encrypt></xml>`],
    ['wrong root', 'bad_xml', `<root><Encrypt>${enc}</Encrypt></root>`],
    ['text root', 'bad_xml', `<xml>${enc}</xml>`],
    [
      '__proto__',
      'bad_xml',
      `<xml><__proto__><polluted>yes</polluted></__proto__><Encrypt>${enc}</Encrypt></xml>`,
    ],
    [
      'constructor',
      'bad_xml',
      `<xml><constructor><prototype>x</prototype></constructor><Encrypt>${enc}</Encrypt></xml>`,
    ],
    [
      'nesting depth 5000',
      'bad_xml',
      `<xml>${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}<Encrypt>${enc}</Encrypt></xml>`,
    ],
    [
      'DOCTYPE (XXE)',
      'doctype',
      `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>${enc}</Encrypt><A>&x;</A></xml>`,
    ],
    ['lowercase doctype', 'doctype', `<!doctype xml><xml><Encrypt>${enc}</Encrypt></xml>`],
    ['bare ENTITY', 'doctype', `<xml><Encrypt>${enc}</Encrypt><!ENTITY x "y"></xml>`],
    ['two Encrypt elements', 'bad_encrypt', `<xml><Encrypt>${enc}</Encrypt><Encrypt>${enc}</Encrypt></xml>`],
    ['nested element in Encrypt', 'bad_encrypt', `<xml><Encrypt><x>1</x></Encrypt></xml>`],
    ['no Encrypt', 'bad_encrypt', `<xml><ToUserName>${A.corpId}</ToUserName></xml>`],
    ['empty Encrypt', 'bad_encrypt', `<xml><Encrypt></Encrypt></xml>`],
    ['Encrypt bad charset', 'bad_encrypt', `<xml><Encrypt>${enc.slice(0, -4)}-_==</Encrypt></xml>`],
    ['Encrypt length%4', 'bad_encrypt', `<xml><Encrypt>${enc.slice(0, -1)}</Encrypt></xml>`],
    ['Encrypt with padding spaces', 'bad_encrypt', `<xml><Encrypt> ${enc} </Encrypt></xml>`],
    [
      'ToUserName other corp',
      'to_user_mismatch',
      `<xml><ToUserName>${B.corpId}</ToUserName><Encrypt>${enc}</Encrypt></xml>`,
    ],
    [
      'ToUserName element',
      'to_user_mismatch',
      `<xml><ToUserName><a>${A.corpId}</a></ToUserName><Encrypt>${enc}</Encrypt></xml>`,
    ],
  ])('%s → 400 %s', (_name, reason, body) => {
    expect(rejection(post({ query: good.query, body }))).toEqual({ status: 400, reason });
  });

  it('__proto__ does not pollute Object.prototype', () => {
    post({
      query: good.query,
      body: `<xml><__proto__><polluted>yes</polluted></__proto__><Encrypt>${enc}</Encrypt></xml>`,
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('authentic but undecryptable: bad padding → 400 decrypt_failed; other receiveid → 403', () => {
    const badPad = encryptRaw(
      A.encodingAesKey,
      layout({ msg: Buffer.from('x'), receiveId: A.corpId, padBytes: Buffer.alloc(25, 0) }),
    );
    const s1 = signedWithBody(`<xml><Encrypt>${badPad}</Encrypt></xml>`, badPad);
    expect(rejection(post(s1))).toEqual({ status: 400, reason: 'decrypt_failed' });
    const other = signCallback({
      credentials: credsA,
      plaintext,
      timestamp: NOW,
      nonce: '1',
      receiveId: `${A.corpId}X`,
    });
    expect(rejection(post(other))).toEqual({ status: 403, reason: 'receiveid_mismatch' });
    const spaced = signCallback({
      credentials: credsA,
      plaintext,
      timestamp: NOW,
      nonce: '1',
      receiveId: `${A.corpId} `,
    });
    expect(rejection(post(spaced))).toEqual({ status: 403, reason: 'receiveid_mismatch' });
  });

  it('outer ToUserName ≠ corpid while the inner receiveid matches → 400', () => {
    const signed = signCallback({ credentials: credsA, plaintext, timestamp: NOW, nonce: '1' });
    const body = signed.body.replace(A.corpId, 'wxsomeoneelse');
    expect(rejection(post({ query: signed.query, body }))).toEqual({
      status: 400,
      reason: 'to_user_mismatch',
    });
  });
});
