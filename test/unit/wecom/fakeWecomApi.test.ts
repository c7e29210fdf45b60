import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWecomApi } from '../../fakes/fakeWecomApi.js';
import type { FakeWecomApi } from '../../fakes/fakeWecomApi.js';

let api: FakeWecomApi;
beforeEach(async () => {
  api = await startFakeWecomApi({ corpId: 'wwc', secret: 'sec' });
});
afterEach(async () => {
  await api.close();
});

async function getJson(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${path}`);
  return (await res.json()) as Record<string, unknown>;
}
async function postRaw(
  path: string,
  body: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
async function token(): Promise<string> {
  return String((await getJson('/cgi-bin/gettoken?corpid=wwc&corpsecret=sec'))['access_token']);
}
const msg = (touser: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ touser, agentid: 1, msgtype: 'text', text: { content: 'hi' }, ...extra });

describe('fakeWecomApi', () => {
  it('gettoken checks credentials and issues tok-N with expires_in 7200', async () => {
    expect(await getJson('/cgi-bin/gettoken?corpid=wwc&corpsecret=wrong')).toMatchObject({ errcode: 40001 });
    expect(await getJson('/cgi-bin/gettoken?corpid=wwc&corpsecret=sec')).toEqual({
      errcode: 0,
      errmsg: 'ok',
      access_token: 'tok-1',
      expires_in: 7200,
    });
    expect(api.tokenCalls).toBe(2);
  });

  it('message/send checks the token (40014 stale or unknown, 42001 expired)', async () => {
    expect((await postRaw('/cgi-bin/message/send', msg('u1'))).json).toMatchObject({ errcode: 40014 });
    const t1 = await token();
    const t2 = await token();
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t1}`, msg('u1'))).json).toMatchObject({
      errcode: 40014,
    });
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t2}`, msg('u1'))).json).toMatchObject({
      errcode: 0,
    });
    api.expireToken();
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t2}`, msg('u1'))).json).toMatchObject({
      errcode: 42001,
    });
    expect(api.sendCalls).toBe(4);
    expect(api.deliveries).toHaveLength(1);
  });

  it('validates agentid, msgtype, touser and JSON', async () => {
    const t = await token();
    const send = (body: string) =>
      postRaw(`/cgi-bin/message/send?access_token=${t}`, body).then((r) => r.json['errcode']);
    expect(await send('{')).toBe(47001);
    expect(await send(msg('u1', { agentid: '1' }))).toBe(40056);
    expect(await send(msg('u1', { msgtype: 'bogus' }))).toBe(40008);
    expect(await send(msg('u1', { text: 'not an object' }))).toBe(40008);
    expect(await send(msg(''))).toBe(40031);
    expect(api.deliveries).toHaveLength(0);
  });

  it('invalid and unlicensed users, lower-cased; 81013 when all invalid', async () => {
    const t = await token();
    api.setInvalidUsers(['Ghost']);
    api.setUnlicensedUsers(['nolicense']);
    const { json } = await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('Alice|GHOST|NoLicense'));
    expect(json).toMatchObject({ errcode: 0, invaliduser: 'ghost', unlicenseduser: 'nolicense' });
    expect(api.deliveriesTo('alice')).toHaveLength(1);
    expect(api.deliveries).toHaveLength(1);
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('ghost'))).json).toMatchObject({
      errcode: 81013,
    });
  });

  it('enable_duplicate_check: the identical body is answered but not delivered again', async () => {
    const t = await token();
    const body = msg('u1|u2', { enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    const first = await postRaw(`/cgi-bin/message/send?access_token=${t}`, body);
    const second = await postRaw(`/cgi-bin/message/send?access_token=${t}`, body);
    expect(second.json).toEqual(first.json);
    expect(api.deliveries).toHaveLength(2);
    await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1|u2'));
    expect(api.deliveries).toHaveLength(4);
  });

  it('faults are consumed one per call, in order', async () => {
    const t = await token();
    api.injectFaults('/cgi-bin/message/send', [{ errcode: -1, errmsg: 'system busy' }, { httpStatus: 503 }]);
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).json).toEqual({
      errcode: -1,
      errmsg: 'system busy',
    });
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).status).toBe(503);
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).json).toMatchObject({
      errcode: 0,
    });
    expect(api.deliveries).toHaveLength(1);
  });

  it('hang without apply: no effect and the connection is dropped; with apply: delivered then answered late', async () => {
    const t = await token();
    api.injectFaults('message/send', [{ hangMs: 50 }, { hangMs: 50, apply: true }]);
    await expect(postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).rejects.toThrow();
    expect(api.deliveries).toHaveLength(0);
    const waiting = api.waitForDeliveries(1, 1_000);
    const late = postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'));
    await waiting;
    expect((await late).json).toMatchObject({ errcode: 0 });
  });

  it('clearFaults drops pending faults', async () => {
    const t = await token();
    api.injectFaults('message/send', [{ errcode: -1 }, { errcode: -1 }]);
    api.clearFaults('message/send');
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).json).toMatchObject({
      errcode: 0,
    });
    api.injectFaults('message/send', [{ errcode: -1 }]);
    api.clearFaults();
    expect((await postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1'))).json).toMatchObject({
      errcode: 0,
    });
  });

  it('gettoken faults apply too', async () => {
    api.injectFaults('gettoken', [{ errcode: -1 }]);
    expect(await getJson('/cgi-bin/gettoken?corpid=wwc&corpsecret=sec')).toMatchObject({ errcode: -1 });
    expect(await token()).toBe('tok-1');
  });

  it('waitForDeliveries times out with a clear message', async () => {
    await expect(api.waitForDeliveries(1, 50)).rejects.toThrow(/timed out waiting for 1 deliveries/);
  });

  it('update_template_card checks the token and records', async () => {
    const t = await token();
    const body = JSON.stringify({
      userids: ['u1'],
      agentid: 1,
      response_code: 'rc',
      button: { replace_name: '已报名' },
    });
    expect(
      (await postRaw('/cgi-bin/message/update_template_card?access_token=bad', body)).json,
    ).toMatchObject({ errcode: 40014 });
    expect(
      (await postRaw(`/cgi-bin/message/update_template_card?access_token=${t}`, body)).json,
    ).toMatchObject({ errcode: 0 });
    expect(api.cardUpdates.map((u) => u.body['response_code'])).toEqual(['rc']);
    expect(api.updateCalls).toBe(2);
  });

  it('close() does not wait for hanging requests', async () => {
    const t = await token();
    api.injectFaults('message/send', [{ hangMs: 60_000 }]);
    const hanging = postRaw(`/cgi-bin/message/send?access_token=${t}`, msg('u1')).catch(() => 'dropped');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await api.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await hanging).toBe('dropped');
    api = await startFakeWecomApi({ corpId: 'wwc', secret: 'sec' });
  });
});

describe('fake 微信客服 (kf/*)', () => {
  it('enforces 5 messages within 48 h of the customer’s last message (95001 / 95002), and welcome codes once', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const fake = await startFakeWecomApi({ corpId: 'wwkf', secret: 's', now: () => clock });
    try {
      const token = (
        (await (await fetch(`${fake.url}/cgi-bin/gettoken?corpid=wwkf&corpsecret=s`)).json()) as {
          access_token: string;
        }
      ).access_token;
      const post = async (path: string, body: unknown): Promise<{ errcode: number }> =>
        (await (
          await fetch(`${fake.url}/cgi-bin/${path}?access_token=${token}`, {
            method: 'POST',
            body: JSON.stringify(body),
          })
        ).json()) as { errcode: number };
      const send = (i: number) =>
        post('kf/send_msg', {
          touser: 'wm1',
          open_kfid: 'wk',
          msgid: `m${i}`,
          msgtype: 'text',
          text: { content: 'x' },
        });
      expect((await send(0)).errcode).toBe(95002);
      fake.kf.customerSays({ openKfid: 'wk', externalUserid: 'wm1', text: 'hi' });
      for (let i = 1; i <= 5; i++) expect((await send(i)).errcode).toBe(0);
      expect((await send(6)).errcode).toBe(95001);
      clock += 1000;
      fake.kf.customerSays({ openKfid: 'wk', externalUserid: 'wm1', text: 'again' });
      expect((await send(7)).errcode).toBe(0);
      clock += 49 * 3600_000;
      expect((await send(8)).errcode).toBe(95002);
      const code = fake.kf.enterSession({ openKfid: 'wk', externalUserid: 'wm2', welcome: true });
      const onEvent = { code, msgid: 'w1', msgtype: 'text', text: { content: '欢迎' } };
      expect((await post('kf/send_msg_on_event', onEvent)).errcode).toBe(0);
      expect((await post('kf/send_msg_on_event', { ...onEvent, msgid: 'w2' })).errcode).not.toBe(0);
      expect(fake.kf.refused.map((r) => r.errcode)).toEqual([95002, 95001, 95002, 95000]);
    } finally {
      await fake.close();
    }
  });
});
