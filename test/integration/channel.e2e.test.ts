import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import {
  BACKENDS,
  CREDENTIALS,
  contentOf,
  nextMsgId,
  settle,
  startHarness,
  waitFor,
  type Harness,
} from './harness.js';

const now = (): number => Math.floor(Date.now() / 1000);

describe.each(BACKENDS)('WeCom channel end to end ($name)', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(backend);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('answers a member through the API exactly once', async () => {
    const res = await h.postText('zhangsan', '你好', nextMsgId());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await h.fake.waitForDeliveries(1, 10_000);
    await settle(h);
    const got = h.fake.deliveriesTo('zhangsan');
    expect(got).toHaveLength(1);
    expect(contentOf(got[0]!)).toContain('履职助手');
    expect(got[0]!.body.agentid).toBe(CREDENTIALS.agentId);
  });

  it('gives one answer when WeCom delivers the same callback three times, even re-encrypted', async () => {
    const xml = textXml({
      corpId: CREDENTIALS.corpId,
      from: 'lisi',
      content: '在吗',
      msgId: nextMsgId(),
      createTime: now(),
      agentId: CREDENTIALS.agentId,
    });
    const first = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    const url = `${h.server.url}/wecom/callback?${first.query}`;
    const statuses = [];
    statuses.push((await fetch(url, { method: 'POST', body: first.body })).status);
    statuses.push((await fetch(url, { method: 'POST', body: first.body })).status);
    // A WeCom retry carries the same plaintext under a new random prefix, nonce and signature.
    const retry = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    statuses.push(
      (await fetch(`${h.server.url}/wecom/callback?${retry.query}`, { method: 'POST', body: retry.body }))
        .status,
    );
    expect(statuses).toEqual([200, 200, 200]);
    await h.fake.waitForDeliveries(1, 10_000);
    await settle(h);
    expect(h.fake.deliveriesTo('lisi')).toHaveLength(1);
    const inbox = await h.db.inbox.countByStatus();
    expect(inbox.done).toBe(1);
  });

  it('absorbs ten concurrent copies of one callback into one answer', async () => {
    const xml = textXml({
      corpId: CREDENTIALS.corpId,
      from: 'zhangsan',
      content: '并发',
      msgId: nextMsgId(),
      createTime: now(),
      agentId: CREDENTIALS.agentId,
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => {
        const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
        return fetch(`${h.server.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await h.fake.waitForDeliveries(1, 10_000);
    await settle(h);
    expect(h.fake.deliveriesTo('zhangsan')).toHaveLength(1);
  });

  it('tells a stranger they are not registered and whom to contact', async () => {
    const res = await h.postText('stranger01', '你好', nextMsgId());
    expect(res.status).toBe(200);
    await h.fake.waitForDeliveries(1, 10_000);
    const got = h.fake.deliveriesTo('stranger01');
    expect(got).toHaveLength(1);
    expect(contentOf(got[0]!)).toContain('尚未登记');
    expect(contentOf(got[0]!)).toContain('县政协办公室');
  });

  it('delays but loses nothing in a 45009 storm', async () => {
    // A minute block, then a refused probe (an hour block; both windows shortened by the harness). A third refusal
    // would mean a day block, waited out until China midnight: test/integration/faults.quota.e2e.test.ts.
    h.fake.injectFaults(
      'message/send',
      Array.from({ length: 2 }, () => ({ errcode: 45009, errmsg: 'api freq out of limit' })),
    );
    const users = ['zhangsan', 'lisi', 'wangwu'];
    for (const u of users) expect((await h.postText(u, '风暴', nextMsgId())).status).toBe(200);
    await h.fake.waitForDeliveries(3, 20_000);
    await settle(h);
    for (const u of users) expect(h.fake.deliveriesTo(u)).toHaveLength(1);
    const outbox = await h.db.outbox.countByStatus();
    expect(outbox).toMatchObject({ sent: 3, failed: 0 });
  });

  it('refreshes an invalidated token once and retries', async () => {
    expect((await h.postText('zhangsan', '一', nextMsgId())).status).toBe(200);
    await h.fake.waitForDeliveries(1, 10_000);
    const tokenCallsBefore = h.fake.tokenCalls;
    h.fake.expireToken();
    expect((await h.postText('zhangsan', '二', nextMsgId())).status).toBe(200);
    await h.fake.waitForDeliveries(2, 10_000);
    await settle(h);
    expect(h.fake.deliveriesTo('zhangsan')).toHaveLength(2);
    expect(h.fake.tokenCalls - tokenCallsBefore).toBe(1);
  });

  it('retries 5xx and timeouts with backoff and delivers once', async () => {
    h.fake.injectFaults('message/send', [
      { httpStatus: 502 },
      { hangMs: 1500 },
      { errcode: -1, errmsg: 'system busy' },
    ]);
    expect((await h.postText('lisi', '重试', nextMsgId())).status).toBe(200);
    await h.fake.waitForDeliveries(1, 20_000);
    await settle(h);
    expect(h.fake.deliveriesTo('lisi')).toHaveLength(1);
  });

  it('records invaliduser as a final failure without retrying', async () => {
    h.fake.setInvalidUsers(['stranger02']);
    expect((await h.postText('stranger02', '你好', nextMsgId())).status).toBe(200);
    const item = await waitFor(
      async () => {
        const items = await h.db.outbox.listForUser('stranger02', 0, 10);
        return items[0]?.status === 'failed' ? items[0] : null;
      },
      10_000,
      'outbox item to fail',
    );
    expect(item.lastError).toBe('invaliduser');
    const calls = h.fake.sendCalls;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sendCalls).toBe(calls);
  });

  it('keeps 4-byte characters and leading zeros intact', async () => {
    expect((await h.postText('zhangsan', '007 提案😀', nextMsgId())).status).toBe(200);
    await h.fake.waitForDeliveries(1, 10_000);
    await settle(h);
    const inbox = await h.db.inbox.countByStatus();
    expect(inbox.done).toBe(1);
  });
});
