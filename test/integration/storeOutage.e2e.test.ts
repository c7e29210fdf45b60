import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../fakes/tcpProxy.js';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { CREDENTIALS, nextMsgId, startHarness, waitFor, type Harness } from './harness.js';

const mysqlUrl = process.env.TEST_DATABASE_URL;

/** The database is reached through a proxy the test can cut: a real outage, not a mock. */
describe.skipIf(!mysqlUrl)('store outage (MariaDB through a cut-able proxy)', () => {
  let h: Harness | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    proxy?.restore();
    await h?.close();
    await proxy?.close();
  });

  it('answers 503 while the database is unreachable, and processes the retry once it is back', async () => {
    const target = new URL(mysqlUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    const viaProxy = new URL(mysqlUrl!);
    viaProxy.port = String(proxy.port);
    h = await startHarness({ name: 'mysql-via-proxy', databaseUrl: viaProxy.toString(), redisUrl: null });

    const xml = textXml({
      corpId: CREDENTIALS.corpId,
      from: 'zhangsan',
      content: '断线',
      msgId: nextMsgId(),
      createTime: Math.floor(Date.now() / 1000),
      agentId: CREDENTIALS.agentId,
    });
    proxy.cut();
    const first = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    const down = await fetch(`${h.server.url}/wecom/callback?${first.query}`, {
      method: 'POST',
      body: first.body,
    });
    expect(down.status).toBe(503);

    proxy.restore();
    // WeCom's retry of the same message.
    const retry = signCallback({ credentials: CREDENTIALS, plaintext: xml });
    const up = await waitFor(
      async () => {
        const res = await fetch(`${h!.server.url}/wecom/callback?${retry.query}`, {
          method: 'POST',
          body: retry.body,
        });
        return res.status === 200 ? res : null;
      },
      15_000,
      'the database to come back',
    );
    expect(up.status).toBe(200);
    await h.fake.waitForDeliveries(1, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.deliveriesTo('zhangsan')).toHaveLength(1);
  });
});
