import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWecomClient } from '../../../src/wecom/api/client.js';
import type { WecomClient } from '../../../src/wecom/api/client.js';
import { createTokenProvider } from '../../../src/wecom/api/tokenProvider.js';
import { fetchTransport } from '../../../src/wecom/api/transport.js';
import type { HttpTransport } from '../../../src/wecom/api/transport.js';
import {
  isRateLimitWecomError,
  isTransientWecomError,
  TOKEN_ERRCODES,
  WecomApiError,
  WecomTransportError,
} from '../../../src/wecom/errors.js';
import { systemClock } from '../../../src/shared/clock.js';
import { startFakeWecomApi } from '../../fakes/fakeWecomApi.js';
import type { FakeWecomApi } from '../../fakes/fakeWecomApi.js';
import { memoryCache } from './memoryCache.js';

const CORP = 'ww1436e0e65a779aee';
const SECRET = 'app-secret';
const AGENT = 1000002;

let api: FakeWecomApi;
let client: WecomClient;
let sentBodies: string[];

beforeEach(async () => {
  api = await startFakeWecomApi({ corpId: CORP, secret: SECRET, agentId: AGENT });
  sentBodies = [];
  // Records exactly what goes on the wire (fetchTransport serializes with JSON.stringify).
  const transport: HttpTransport = (req) => {
    if (req.body !== undefined) sentBodies.push(JSON.stringify(req.body));
    return fetchTransport(req);
  };
  const tokens = createTokenProvider({
    apiBase: api.url,
    corpId: CORP,
    secret: SECRET,
    agentId: AGENT,
    transport,
    cache: memoryCache(),
    clock: systemClock,
  });
  client = createWecomClient({ apiBase: api.url, agentId: AGENT, transport, tokens, timeoutMs: 1_000 });
});

afterEach(async () => {
  await api.close();
});

const text = (content: string) => ({ msgtype: 'text' as const, text: { content } });

describe('sendMessage', () => {
  it('sends, and reports msgid and no invalid users', async () => {
    const res = await client.sendMessage({ touser: ['ZhangSan', 'lisi'], message: text('你好') });
    expect(res).toEqual({ msgId: 'msg-1', responseCode: null, invalidUsers: [], unlicensedUsers: [] });
    expect(api.deliveriesTo('ZhangSan')).toHaveLength(1);
    expect(api.deliveries.map((d) => d.touser)).toEqual(['ZhangSan', 'lisi']);
    expect(JSON.parse(sentBodies[0] ?? '')).toEqual({
      touser: 'ZhangSan|lisi',
      agentid: AGENT,
      msgtype: 'text',
      text: { content: '你好' },
      enable_duplicate_check: 0,
      duplicate_check_interval: 14400,
    });
  });

  it('maps lower-cased invaliduser / unlicenseduser back to the caller spelling', async () => {
    api.setInvalidUsers(['GhostUser']);
    api.setUnlicensedUsers(['NoSeat']);
    const res = await client.sendMessage({ touser: ['ZhangSan', 'GhostUser', 'NoSeat'], message: text('x') });
    expect(res.invalidUsers).toEqual(['GhostUser']);
    expect(res.unlicensedUsers).toEqual(['NoSeat']);
    expect(api.deliveries.map((d) => d.touser)).toEqual(['ZhangSan']);
  });

  it('81013 (all recipients invalid) throws WecomApiError', async () => {
    api.setInvalidUsers(['a', 'b']);
    const err = await client.sendMessage({ touser: ['a', 'B'], message: text('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect(err).toMatchObject({ errcode: 81013, path: 'message/send' });
    expect(String(err)).toContain('81013');
    expect(String(err)).toContain('message/send');
  });

  it('builds byte-identical JSON for the same message whatever its key order', async () => {
    const card1 = {
      msgtype: 'template_card' as const,
      template_card: {
        card_type: 'button_interaction',
        task_id: 't1',
        main_title: { title: 'T', desc: 'D' },
        button_list: [{ text: '参加', key: 'yes' }],
      },
    };
    const card2 = {
      template_card: {
        button_list: [{ key: 'yes', text: '参加' }],
        main_title: { desc: 'D', title: 'T' },
        task_id: 't1',
        card_type: 'button_interaction',
      },
      msgtype: 'template_card' as const,
    };
    const r1 = await client.sendMessage({ touser: ['u1'], message: card1, enableDuplicateCheck: true });
    await client.sendMessage({ touser: ['u1'], message: card2, enableDuplicateCheck: true });
    expect(sentBodies[1]).toBe(sentBodies[0]);
    expect(r1.responseCode).toBe('rc-1');
    // The fake emulates enable_duplicate_check: the identical second request is answered but not delivered.
    expect(api.deliveriesTo('u1')).toHaveLength(1);
    expect(api.sendCalls).toBe(2);
  });

  it('rejects empty recipient lists and ids containing "|"', async () => {
    await expect(client.sendMessage({ touser: [], message: text('x') })).rejects.toThrow();
    await expect(client.sendMessage({ touser: ['a|b'], message: text('x') })).rejects.toThrow();
    expect(api.sendCalls).toBe(0);
  });
});

describe('token errors', () => {
  it('40014: invalidates, fetches a new token and retries once', async () => {
    await client.sendMessage({ touser: ['u1'], message: text('warm up') });
    api.injectFaults('message/send', [{ errcode: 40014, errmsg: 'invalid access_token' }]);
    await client.sendMessage({ touser: ['u1'], message: text('again') });
    expect(api.tokenCalls).toBe(2);
    expect(api.sendCalls).toBe(3);
    expect(api.deliveriesTo('u1')).toHaveLength(2);
  });

  it('42001 from an expired token is recovered the same way', async () => {
    await client.sendMessage({ touser: ['u1'], message: text('a') });
    api.expireToken();
    await client.sendMessage({ touser: ['u1'], message: text('b') });
    expect(api.tokenCalls).toBe(2);
    expect(api.currentToken).toBe('tok-2');
  });

  it('a second token error is thrown, not retried again', async () => {
    api.injectFaults('message/send', [{ errcode: 40014 }, { errcode: 40014 }]);
    await expect(client.sendMessage({ touser: ['u1'], message: text('x') })).rejects.toMatchObject({
      errcode: 40014,
    });
    expect(api.sendCalls).toBe(2);
    expect(api.tokenCalls).toBe(2);
  });

  it('non-token errors are not retried', async () => {
    api.injectFaults('message/send', [{ errcode: 45009, errmsg: 'api freq out of limit' }]);
    const err = await client.sendMessage({ touser: ['u1'], message: text('x') }).catch((e: unknown) => e);
    expect(isRateLimitWecomError(err)).toBe(true);
    expect(isTransientWecomError(err)).toBe(true);
    expect(api.sendCalls).toBe(1);
  });

  it('TOKEN_ERRCODES', () => {
    expect([...TOKEN_ERRCODES]).toEqual([40001, 40014, 42001]);
  });
});

describe('updateTemplateCard and call', () => {
  it('posts userids, agentid, response_code and button', async () => {
    await client.updateTemplateCard({
      userids: ['u1'],
      responseCode: 'rc-9',
      button: { replace_name: '已报名' },
    });
    expect(api.cardUpdates).toHaveLength(1);
    expect(api.cardUpdates[0]?.body).toEqual({
      userids: ['u1'],
      agentid: AGENT,
      response_code: 'rc-9',
      button: { replace_name: '已报名' },
    });
  });

  it('needs exactly one of button / templateCard', async () => {
    await expect(client.updateTemplateCard({ userids: ['u1'], responseCode: 'rc' })).rejects.toThrow();
  });

  it('call validates with a schema when given one', async () => {
    const res = await client.call(
      'message/send',
      { touser: 'u1', agentid: AGENT, msgtype: 'text', text: { content: 'x' } },
      z.looseObject({ msgid: z.string() }),
    );
    expect(res.msgid).toBe('msg-1');
    await expect(
      client.call(
        'message/send',
        { touser: 'u1', agentid: AGENT, msgtype: 'text', text: { content: 'x' } },
        z.object({ nothere: z.string() }),
      ),
    ).rejects.toBeInstanceOf(WecomTransportError);
  });
});

describe('transport failures', () => {
  it('HTTP 502 → WecomTransportError http, transient', async () => {
    api.injectFaults('message/send', [{ httpStatus: 502 }]);
    const err = await client.sendMessage({ touser: ['u1'], message: text('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomTransportError);
    expect(err).toMatchObject({ kind: 'http', status: 502, path: 'message/send' });
    expect(isTransientWecomError(err)).toBe(true);
  });

  it('a hang beyond timeoutMs → timeout; with apply the message was delivered anyway', async () => {
    api.injectFaults('message/send', [{ hangMs: 3_000, apply: true }]);
    const err = await client.sendMessage({ touser: ['u1'], message: text('x') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(api.deliveriesTo('u1')).toHaveLength(1);
  });

  it('connection refused → network; the access_token never appears in the error', async () => {
    const url = api.url;
    await api.close();
    const err = await fetchTransport({
      method: 'POST',
      url: `${url}/cgi-bin/message/send?access_token=SECRET`,
      body: {},
      timeoutMs: 1_000,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', path: 'message/send', status: null });
    expect(String(err)).not.toContain('SECRET');
    api = await startFakeWecomApi({ corpId: CORP, secret: SECRET });
  });

  it('a non-JSON 200 → http', async () => {
    const server = createServer((_req, res) => res.end('<html>proxy</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const err = await fetchTransport({
      method: 'GET',
      url: `http://127.0.0.1:${port}/cgi-bin/gettoken`,
      timeoutMs: 1_000,
    }).catch((e: unknown) => e);
    server.close();
    expect(err).toMatchObject({ kind: 'http', status: 200, path: 'gettoken' });
  });
});
