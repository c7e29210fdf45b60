import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { BACKENDS, CREDENTIALS, nextMsgId, startHarness, type Harness } from '../integration/harness.js';

/**
 * B8 / B9: clients that send too slowly are cut off at the configured deadlines (small ones here, so the test does
 * not wait the production 10 s / 15 s), and they hold nothing back from a legitimate callback meanwhile.
 */
const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;

interface Outcome {
  /** Everything the server wrote before closing. */
  received: string;
  /** Bytes the client managed to write before the server closed. */
  sent: number;
}

/**
 * Opens a raw connection, writes `head` at once, then `drip` one byte every `everyMs` until the server closes the
 * socket. Fails (rejects) if the server still holds the connection after `giveUpMs`.
 */
function dripUntilClosed(
  url: string,
  head: string,
  drip: string,
  everyMs: number,
  giveUpMs: number,
): Promise<Outcome> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`server still held the connection after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received: Buffer.concat(chunks).toString('latin1'), sent });
    });
    socket.on('connect', () => {
      socket.write(head);
      sent += head.length;
      let i = 0;
      timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(drip[i % drip.length]!);
        sent += 1;
        i += 1;
      }, everyMs);
    });
  });
}

describe.each(BACKENDS)('slow clients ($name)', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend, {
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function rows(): Promise<number> {
    const c = await h.db.inbox.countByStatus();
    return c.pending + c.done + c.dead;
  }

  function legitCallback(): Promise<Response> {
    return h.post(
      textXml({
        corpId: CREDENTIALS.corpId,
        from: 'zhangsan',
        content: '你好',
        msgId: nextMsgId(),
        createTime: Math.floor(Date.now() / 1000),
        agentId: CREDENTIALS.agentId,
      }),
    );
  }

  it('B8 slowloris: headers dripped byte by byte are cut off at the headers deadline, nothing stored', async () => {
    const before = await rows();
    const signed = signCallback({ credentials: CREDENTIALS, plaintext: '<xml/>' });
    // The drip never ends the headers (no blank line), as a slowloris client does.
    const out = await dripUntilClosed(
      h.server.url,
      `POST /wecom/callback?${signed.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
      'X-a: b\r\n',
      50,
      HEADERS_TIMEOUT_MS * 10,
    );
    // Node answers 408 and closes; no request reached the app.
    expect(out.received).toMatch(/^HTTP\/1.1 408 /);
    expect(out.sent).toBeGreaterThan(0);
    expect(await rows()).toBe(before);
  });

  it('B8 200 slowloris sockets open at once do not keep a legitimate callback from its 200', async () => {
    const signed = signCallback({ credentials: CREDENTIALS, plaintext: '<xml/>' });
    const attackers = Array.from({ length: 200 }, () =>
      dripUntilClosed(
        h.server.url,
        `POST /wecom/callback?${signed.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
        'X-a: b\r\n',
        100,
        HEADERS_TIMEOUT_MS * 20,
      ),
    );
    const before = await rows();
    const res = await legitCallback();
    expect(res.status).toBe(200);
    expect(await rows()).toBe(before + 1);
    // Every attacker was cut off (none is still open when the test ends).
    const outcomes = await Promise.all(attackers);
    expect(outcomes.every((o) => o.received === '' || o.received.startsWith('HTTP/1.1 408'))).toBe(true);
  });

  it('B9 slow body (headers complete, body one byte at a time): 408 at the request deadline, nothing stored', async () => {
    const before = await rows();
    const signed = signCallback({
      credentials: CREDENTIALS,
      plaintext: textXml({
        corpId: CREDENTIALS.corpId,
        from: 'zhangsan',
        content: '慢慢发',
        msgId: nextMsgId(),
        createTime: Math.floor(Date.now() / 1000),
        agentId: CREDENTIALS.agentId,
      }),
    });
    const out = await dripUntilClosed(
      h.server.url,
      `POST /wecom/callback?${signed.query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(signed.body)}\r\n\r\n`,
      signed.body,
      100,
      REQUEST_TIMEOUT_MS * 10,
    );
    expect(out.received).toMatch(/^HTTP\/1.1 408 /);
    // Cut off before the body was complete.
    expect(out.sent).toBeLessThan(Buffer.byteLength(signed.body));
    expect(await rows()).toBe(before);
  });
});
