import { createCipheriv } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../src/wecom/crypto.js';
import { cdata, signCallback, signUrlVerification, textXml } from '../fakes/wecomSigner.js';
import {
  BACKENDS,
  CREDENTIALS,
  nextMsgId,
  settle,
  startHarness,
  type Harness,
} from '../integration/harness.js';

/**
 * Bad input: forged or malformed callbacks get the right 4xx and leave nothing behind.
 * Cases marked † are signed with the real token: they test robustness, not forgery.
 */
const { corpId, token, encodingAesKey } = CREDENTIALS;
const key = Buffer.from(`${encodingAesKey}=`, 'base64');
const nowS = (): number => Math.floor(Date.now() / 1000);
const validXml = (): string =>
  textXml({
    corpId,
    from: 'zhangsan',
    content: '你好',
    msgId: nextMsgId(),
    createTime: nowS(),
    agentId: 1000002,
  });

/** Encrypts a hand-built plaintext layout, so padding, msg_len and receiveid can be wrong on purpose. */
function rawEncrypt(opts: {
  msg?: string;
  receiveId?: string;
  msgLen?: number;
  pad?: (len: number) => Buffer;
  trim?: number;
}): string {
  const msg = Buffer.from(opts.msg ?? validXml());
  const len = Buffer.alloc(4);
  len.writeUInt32BE(opts.msgLen ?? msg.length);
  const body = Buffer.concat([
    Buffer.from('0123456789abcdef'),
    len,
    msg,
    Buffer.from(opts.receiveId ?? corpId),
  ]);
  const padLen = 32 - (body.length % 32);
  const pad = opts.pad ? opts.pad(padLen) : Buffer.alloc(padLen, padLen);
  const plain = Buffer.concat([body, pad]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const out = Buffer.concat([
    cipher.update(plain.subarray(0, plain.length - (plain.length % 16))),
    cipher.final(),
  ]);
  return out.subarray(0, out.length - (opts.trim ?? 0)).toString('base64');
}

function signed(
  encrypted: string,
  opts: { timestamp?: string; toUser?: string } = {},
): { query: string; body: string } {
  const timestamp = opts.timestamp ?? String(nowS());
  const nonce = '1372623149';
  const query = new URLSearchParams({
    msg_signature: computeSignature(token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  }).toString();
  return {
    query,
    body: `<xml><ToUserName>${cdata(opts.toUser ?? corpId)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt><AgentID>1000002</AgentID></xml>`,
  };
}

function queryWith(overrides: Record<string, string | null>): string {
  const base = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
  const q = new URLSearchParams(base.query);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  return q.toString();
}

interface Case {
  name: string;
  expect: number;
  send: (url: string) => Promise<number>;
}

const post =
  (body: string | Buffer, query: string, headers: Record<string, string> = {}) =>
  async (url: string) =>
    (await fetch(`${url}/wecom/callback?${query}`, { method: 'POST', body, headers })).status;

const envelope = (inner: string) => {
  const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
  return post(inner.replace('ENCRYPT', s.encrypted), s.query);
};

/** Streams a body with no Content-Length, so only the running count can stop it. */
function chunked(url: string, total: number): Promise<number> {
  return new Promise((resolve) => {
    const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
    const req = httpRequest(
      `${url}/wecom/callback?${s.query}`,
      { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(-1));
    const chunk = Buffer.alloc(8192, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const cases: Case[] = [
  // HTTP / transport
  {
    name: 'B1 PUT',
    expect: 405,
    send: async (u) => (await fetch(`${u}/wecom/callback`, { method: 'PUT', body: 'x' })).status,
  },
  {
    name: 'B1 DELETE',
    expect: 405,
    send: async (u) => (await fetch(`${u}/wecom/callback`, { method: 'DELETE' })).status,
  },
  {
    name: 'B2 no msg_signature',
    expect: 400,
    send: (u) => post('<xml/>', queryWith({ msg_signature: null }))(u),
  },
  { name: 'B2 no timestamp', expect: 400, send: (u) => post('<xml/>', queryWith({ timestamp: null }))(u) },
  { name: 'B2 no nonce', expect: 400, send: (u) => post('<xml/>', queryWith({ nonce: null }))(u) },
  ...['abc', '1e9', '-1', '0x5f5e100', '99999999999999'].map((t) => ({
    name: `B3 timestamp ${t}`,
    expect: 400,
    send: (u: string) => post('<xml/>', queryWith({ timestamp: t }))(u),
  })),
  {
    name: 'B4 stale timestamp (now − 301 s)',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({}), { timestamp: String(nowS() - 301) });
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B4 future timestamp (now + 305 s: whole seconds and the time on the way leave the margin)',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({}), { timestamp: String(nowS() + 305) });
      return post(s.body, s.query)(u);
    },
  },
  { name: 'B5 1 MB body', expect: 413, send: (u) => post(Buffer.alloc(1024 * 1024, 'a'), queryWith({}))(u) },
  { name: 'B6 chunked body past 64 KiB', expect: 413, send: (u) => chunked(u, 1024 * 1024) },
  {
    name: 'B7 gzip body',
    expect: 415,
    send: (u) => post(gzipSync(Buffer.alloc(100_000, 'a')), queryWith({}), { 'content-encoding': 'gzip' })(u),
  },
  // Envelope XML (before authentication)
  { name: 'B10 empty body', expect: 400, send: (u) => post('', queryWith({}))(u) },
  { name: 'B11 not XML', expect: 400, send: (u) => post('hello world', queryWith({}))(u) },
  { name: 'B12 JSON body', expect: 400, send: envelope('{"Encrypt":"ENCRYPT"}') },
  { name: 'B13 truncated XML', expect: 400, send: envelope('<xml><Encrypt><![CDATA[ENCRYPT') },
  { name: 'B14 unclosed tag', expect: 400, send: envelope('<xml><Encrypt>ENCRYPT</xml>') },
  {
    name: 'B15 two Encrypt elements',
    expect: 400,
    send: envelope('<xml><Encrypt>ENCRYPT</Encrypt><Encrypt>ENCRYPT</Encrypt></xml>'),
  },
  {
    name: 'B16 element inside Encrypt',
    expect: 400,
    send: envelope('<xml><Encrypt><x>1</x></Encrypt></xml>'),
  },
  { name: 'B17 two roots', expect: 400, send: envelope('<xml><Encrypt>ENCRYPT</Encrypt></xml><xml></xml>') },
  {
    name: 'B18 XXE external entity',
    expect: 400,
    send: envelope(
      '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>ENCRYPT</Encrypt><A>&x;</A></xml>',
    ),
  },
  {
    name: 'B19 internal entity',
    expect: 400,
    send: envelope('<!DOCTYPE r [<!ENTITY x "INJECTED">]><xml><Encrypt>ENCRYPT</Encrypt><A>&x;</A></xml>'),
  },
  {
    name: 'B20 billion laughs',
    expect: 400,
    send: envelope(
      `<!DOCTYPE lolz [<!ENTITY lol "lol">${[1, 2, 3].map((i) => `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`).join('')}]><xml><Encrypt>ENCRYPT</Encrypt><A>&lol3;</A></xml>`,
    ),
  },
  {
    name: 'B21 one 5,000-char entity referenced 2,000 times',
    expect: 400,
    send: envelope(
      `<!DOCTYPE r [<!ENTITY big "${'x'.repeat(5000)}">]><xml><Encrypt>ENCRYPT</Encrypt><A>${'&big;'.repeat(2000)}</A></xml>`,
    ),
  },
  {
    name: 'B22 200,000 numeric character references (≈1 MB)',
    expect: 413,
    send: envelope(`<xml><Encrypt>ENCRYPT</Encrypt><A>${'&#65;'.repeat(200_000)}</A></xml>`),
  },
  {
    name: 'B25 200,000 sibling tags (1.6 MB)',
    expect: 413,
    send: envelope(`<xml><Encrypt>ENCRYPT</Encrypt>${'<a>1</a>'.repeat(200_000)}</xml>`),
  },
  {
    name: 'B23 nesting depth 5000',
    expect: 400,
    send: envelope(`<xml><Encrypt>ENCRYPT</Encrypt>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</xml>`),
  },
  {
    name: 'B24 __proto__ element',
    expect: 400,
    send: envelope('<xml><Encrypt>ENCRYPT</Encrypt><__proto__><polluted>yes</polluted></__proto__></xml>'),
  },
  {
    name: 'B26 GBK declared, GBK bytes in the envelope',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({}));
      const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文 in GBK: not UTF-8
      const body = Buffer.concat([
        Buffer.from('<?xml version="1.0" encoding="GBK"?>'),
        Buffer.from(s.body.replace('</xml>', '<Note>')),
        gbk,
        Buffer.from('</Note></xml>'),
      ]);
      return post(body, s.query)(u);
    },
  },
  {
    name: 'B26 GBK declared, ASCII-only envelope (UTF-8 only)',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({}));
      return post(`<?xml version="1.0" encoding="GBK"?>${s.body}`, s.query)(u);
    },
  },
  {
    name: 'B26 GBK bytes with no declaration',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({}));
      const body = Buffer.concat([
        Buffer.from(s.body.replace('</xml>', '<Note>')),
        Buffer.from([0xd6, 0xd0, 0xce, 0xc4]),
        Buffer.from('</Note></xml>'),
      ]);
      return post(body, s.query)(u);
    },
  },
  // Signature / crypto
  {
    name: 'B28 one hex char of the signature flipped',
    expect: 403,
    send: (u) => {
      const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
      const q = new URLSearchParams(s.query);
      const sig = q.get('msg_signature')!;
      q.set('msg_signature', `${sig.slice(0, 20)}${sig[20] === 'a' ? 'b' : 'a'}${sig.slice(21)}`);
      return post(s.body, q.toString())(u);
    },
  },
  {
    name: 'B29 signature upper-case',
    expect: 403,
    send: (u) => {
      const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
      const q = new URLSearchParams(s.query);
      q.set('msg_signature', q.get('msg_signature')!.toUpperCase());
      return post(s.body, q.toString())(u);
    },
  },
  {
    name: 'B29 signature of 39 chars',
    expect: 403,
    send: (u) => {
      const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
      const q = new URLSearchParams(s.query);
      q.set('msg_signature', q.get('msg_signature')!.slice(1));
      return post(s.body, q.toString())(u);
    },
  },
  {
    name: 'B30 valid signature, Encrypt swapped for another message',
    expect: 403,
    send: (u) => {
      const a = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
      const b = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
      return post(b.body, a.query)(u);
    },
  },
  {
    name: 'B32† Encrypt with bad base64 characters',
    expect: 400,
    send: (u) => {
      const s = signed('abc$%^&*()==');
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B32† truncated ciphertext (length % 16 ≠ 0)',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({ trim: 5 }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B33† padding byte 0',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({ pad: (n) => Buffer.alloc(n, 0) }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B34† padding byte 33',
    expect: 400,
    send: (u) => {
      const s = signed(
        rawEncrypt({
          pad: (n) => {
            const b = Buffer.alloc(n, n);
            b[n - 1] = 33;
            return b;
          },
        }),
      );
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B35† inconsistent padding bytes',
    expect: 400,
    send: (u) => {
      const s = signed(
        rawEncrypt({
          msg: `${validXml()}${' '.repeat(20)}`,
          pad: (n) => {
            const b = Buffer.alloc(n, n);
            if (n > 2) b[0] = n - 1;
            return b;
          },
        }),
      );
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B37† msg_len past the end',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({ msgLen: 100_000 }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B37† msg_len 0',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({ msgLen: 0 }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B38† receiveid of another corp',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({ receiveId: 'wwothercorp000001' }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B38† receiveid with a suffix (prefix match)',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({ receiveId: `${corpId}X` }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B38† receiveid with trailing spaces',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({ receiveId: `${corpId}  ` }));
      return post(s.body, s.query)(u);
    },
  },
  {
    name: 'B39 outer ToUserName ≠ corp id',
    expect: 400,
    send: (u) => {
      const s = signed(rawEncrypt({}), { toUser: 'wwsomeoneelse' });
      return post(s.body, s.query)(u);
    },
  },
  // Replay
  {
    name: 'B41 exact replay of a request signed 400 s ago',
    expect: 403,
    send: (u) => {
      const s = signed(rawEncrypt({}), { timestamp: String(nowS() - 400) });
      return post(s.body, s.query)(u);
    },
  },
  // URL verification
  {
    name: 'GET with a forged signature',
    expect: 403,
    send: async (u) => {
      const s = signUrlVerification({ credentials: CREDENTIALS, echostr: '123' });
      const q = new URLSearchParams(s.query);
      q.set('msg_signature', '0'.repeat(40));
      return (await fetch(`${u}/wecom/callback?${q}`)).status;
    },
  },
  {
    name: 'GET without echostr',
    expect: 400,
    send: async (u) => {
      const s = signUrlVerification({ credentials: CREDENTIALS, echostr: '123' });
      const q = new URLSearchParams(s.query);
      q.delete('echostr');
      return (await fetch(`${u}/wecom/callback?${q}`)).status;
    },
  },
];

describe.each(BACKENDS)('bad callback input ($name)', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function rows(): Promise<number> {
    const c = await h.db.inbox.countByStatus();
    return c.pending + c.done + c.dead;
  }

  it(`has at least 25 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('$name → $expect, nothing stored', async (c) => {
    const before = await rows();
    expect(await c.send(h.server.url)).toBe(c.expect);
    expect(await rows()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('B36† accepts every legitimate padding length 1..32 (Node autopadding regression)', async () => {
    const before = await rows();
    const statuses = new Set<number>();
    for (let extra = 0; extra < 32; extra++) {
      const xml = textXml({
        corpId,
        // One sender each: 32 replies to one person would pass WeCom's 30 a minute and wait for the next minute.
        from: `stranger-pad-${extra}`,
        content: `p${'x'.repeat(extra)}`,
        msgId: nextMsgId(),
        createTime: nowS(),
        agentId: 1000002,
      });
      const s = signed(rawEncrypt({ msg: xml }));
      statuses.add(await post(s.body, s.query)(h.server.url));
    }
    expect([...statuses]).toEqual([200]);
    expect(await rows()).toBe(before + 32);
  });

  it('B27 strips a UTF-8 BOM before <xml> (the signature covers Encrypt only): 200, one row', async () => {
    const before = await rows();
    const s = signCallback({
      credentials: CREDENTIALS,
      plaintext: textXml({
        corpId,
        from: 'zhangsan',
        content: '007 提案😀',
        msgId: nextMsgId(),
        createTime: nowS(),
        agentId: 1000002,
      }),
    });
    expect(await post(`\uFEFF${s.body}`, s.query)(h.server.url)).toBe(200);
    expect(await rows()).toBe(before + 1);
  });

  it('B27 a BOM with an XML declaration of UTF-8 is accepted too', async () => {
    const before = await rows();
    const s = signed(rawEncrypt({}));
    expect(await post(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>${s.body}`, s.query)(h.server.url)).toBe(
      200,
    );
    expect(await rows()).toBe(before + 1);
  });

  it('B40 an exact replay inside the window is a no-op 200: one inbox row, one reply', async () => {
    const s = signCallback({ credentials: CREDENTIALS, plaintext: validXml() });
    const before = await rows();
    expect(await post(s.body, s.query)(h.server.url)).toBe(200);
    expect(await post(s.body, s.query)(h.server.url)).toBe(200);
    expect(await rows()).toBe(before + 1);
  });

  it('B42 the same nonce with another timestamp and a valid signature is processed once each', async () => {
    const before = await rows();
    for (const skew of [0, -5]) {
      const s = signed(rawEncrypt({}), { timestamp: String(nowS() + skew) });
      expect(await post(s.body, s.query)(h.server.url)).toBe(200);
    }
    expect(await rows()).toBe(before + 2);
  });

  it('B43 the same plaintext re-encrypted (a WeCom retry) 4 times, 5 s apart: four 200s, one row, one reply', async () => {
    const xml = textXml({
      corpId,
      from: 'lisi',
      content: '帮助',
      msgId: nextMsgId(),
      createTime: nowS() - 15,
      agentId: 1000002,
    });
    const before = await rows();
    const replies = h.fake.deliveriesTo('lisi').length;
    // Deliveries at 0/5/10/15 s after the message, each with a new random prefix, nonce, timestamp and signature.
    const ciphertexts = new Set<string>();
    for (const [i, sent] of [-15, -10, -5, 0].entries()) {
      const s = signCallback({ credentials: CREDENTIALS, plaintext: xml, timestamp: nowS() + sent });
      ciphertexts.add(s.encrypted);
      expect(await post(s.body, s.query)(h.server.url), `delivery ${i + 1}`).toBe(200);
    }
    expect(ciphertexts.size).toBe(4);
    await settle(h);
    expect(await rows()).toBe(before + 1);
    expect(h.fake.deliveriesTo('lisi').length - replies).toBe(1);
  });

  it('B44 the same message delivered 10× concurrently: ten 200s, one inbox row', async () => {
    const xml = validXml();
    const before = await rows();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => {
        // Each delivery encrypted afresh (new random prefix and signature), as WeCom's retries are.
        const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
        return post(s.body, s.query)(h.server.url);
      }),
    );
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await rows()).toBe(before + 1);
  });

  it('answers URL verification with the plaintext echostr alone', async () => {
    const s = signUrlVerification({ credentials: CREDENTIALS, echostr: '1616140317555161061' });
    const res = await fetch(`${h.server.url}/wecom/callback?${s.query}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
  });
});
