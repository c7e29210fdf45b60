import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import { sqlHandleOf } from '../../src/store/sqlHandle.js';
import { inbox as liteInbox } from '../../src/store/sqlite/tables.js';
import { inbox as myInbox } from '../../src/store/mysql/tables.js';
import { decryptMessage } from '../../src/wecom/crypto.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { kfNoticeXml, signCallback, textXml } from '../fakes/wecomSigner.js';
import { MEMBERS } from '../fixtures/members.js';
import { testOpenDatabase } from '../support/testDatabase.js';
import { BACKENDS, CREDENTIALS, makeEnv, resetServers, waitFor } from './harness.js';

/**
 * PII canaries: a member whose name, mobile and 身份证号 are canary values, and people who type those values into
 * every kind of message (a member's 社情民意 and proposal drafts, a stranger, a citizen on 微信客服, a message whose
 * inner XML is broken, a forged request). With the server logging at `trace`, its most verbose (every request, the dead letter and the rejection are logged), no log line, no
 * dead-letter reason and no error body may contain any canary. The inbox proves the canaries went in.
 */
const CANARY = { mobile: '13900001111', name: '测试甲乙', idCard: '11010519491231002X' };
const CANARIES = Object.values(CANARY);
const TYPED = `我叫${CANARY.name}，电话${CANARY.mobile}，身份证${CANARY.idCard}`;
const KF = 'wkCanaryAccount';

async function storedPlaintexts(db: Database): Promise<string[]> {
  const h = sqlHandleOf(db);
  const rows =
    h.dialect === 'sqlite'
      ? h.db.select({ encrypted: liteInbox.encrypted }).from(liteInbox).all()
      : await h.db.select({ encrypted: myInbox.encrypted }).from(myInbox);
  return rows.map((r) => decryptMessage(CREDENTIALS.encodingAesKey, r.encrypted, CREDENTIALS.corpId));
}

async function deadLetterReasons(db: Database): Promise<string[]> {
  const h = sqlHandleOf(db);
  const rows =
    h.dialect === 'sqlite'
      ? h.db.select({ status: liteInbox.status, lastError: liteInbox.lastError }).from(liteInbox).all()
      : await h.db.select({ status: myInbox.status, lastError: myInbox.lastError }).from(myInbox);
  return rows.filter((r) => r.status === 'dead').map((r) => r.lastError ?? '');
}

for (const backend of BACKENDS) {
  describe(`PII canaries never reach a log line (${backend.name})`, () => {
    let server: RunningServer | null = null;
    let db: Database | null = null;
    let fake: FakeWecomApi | null = null;
    let dataDir = '';
    afterEach(async () => {
      await server?.stop();
      await db?.close();
      await fake?.close();
      server = db = fake = null;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('members, a stranger, a citizen, a broken message and a forged request: 0 canaries logged', async () => {
      await resetServers(backend);
      dataDir = mkdtempSync(join(tmpdir(), 'xieshang-pii-'));
      fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
      const config = loadConfig(
        makeEnv(backend, dataDir, fake.url, {
          WECOM_KF_OPEN_KFIDS: KF,
          WECOM_KF_SYNC_INTERVAL_SECONDS: '3600',
          LOG_LEVEL: 'trace',
        }),
      );
      db = await testOpenDatabase(config.database);
      await db.members.upsertMany([
        ...MEMBERS,
        {
          userId: 'canary1',
          name: CANARY.name,
          role: 'member',
          sector: '经济界',
          committee: null,
          mobile: CANARY.mobile,
          active: true,
        },
      ]);
      const lines: string[] = [];
      const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
      server = await startServer(config, { logger });
      const url = server.url;

      let msgId = 9_100_000_000_000;
      const say = async (from: string, content: string): Promise<void> => {
        const signed = signCallback({
          credentials: CREDENTIALS,
          plaintext: textXml({
            corpId: CREDENTIALS.corpId,
            from,
            content,
            msgId: String(msgId++),
            createTime: Math.floor(Date.now() / 1000),
            agentId: CREDENTIALS.agentId,
          }),
        });
        const res = await fetch(`${url}/wecom/callback?${signed.query}`, {
          method: 'POST',
          body: signed.body,
        });
        expect(res.status).toBe(200);
        await waitFor(async () => (await db!.inbox.countByStatus()).pending === 0, 15_000, 'the worker');
      };

      // The canary member: 社情民意 and a proposal draft, every answer carrying the canaries.
      for (const text of [
        '你好',
        '我想反映个情况',
        TYPED,
        TYPED,
        TYPED,
        '取消',
        '写提案',
        TYPED,
        TYPED,
        '取消',
      ])
        await say('canary1', text);
      // A stranger, and a member writing someone else's details.
      await say('stranger-x', TYPED);
      await say('zhangsan', `帮我查一下${CANARY.name}的提案，他电话${CANARY.mobile}`);

      // A citizen on 微信客服: free text, then a 留言.
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-canary', text: TYPED });
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-canary', text: '我要留言反映问题' });
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-canary', text: TYPED });
      const notice = signCallback({
        credentials: CREDENTIALS,
        plaintext: kfNoticeXml({
          corpId: CREDENTIALS.corpId,
          token: fake.kf.token(KF),
          openKfid: KF,
          createTime: Math.floor(Date.now() / 1000),
        }),
      });
      expect(
        (await fetch(`${url}/wecom/callback?${notice.query}`, { method: 'POST', body: notice.body })).status,
      ).toBe(200);
      await waitFor(async () => fake!.kf.sendsTo('wm-canary').length >= 2, 15_000, 'the citizen’s answers');
      await waitFor(async () => (await db!.inbox.countByStatus()).pending === 0, 15_000, 'the worker');

      // Authentic, but the inner XML is broken (a dead letter), with the canaries inside.
      const broken = `<xml><ToUserName><![CDATA[${CREDENTIALS.corpId}]]></ToUserName><FromUserName><![CDATA[canary1]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${TYPED}`;
      const signedBroken = signCallback({ credentials: CREDENTIALS, plaintext: broken });
      const brokenRes = await fetch(`${url}/wecom/callback?${signedBroken.query}`, {
        method: 'POST',
        body: signedBroken.body,
      });
      const brokenBody = await brokenRes.text();
      expect(brokenRes.status).toBe(200);

      // Forged: a bad signature, with the canaries in the query and the body.
      const forged = await fetch(
        `${url}/wecom/callback?msg_signature=${CANARY.mobile}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=${encodeURIComponent(CANARY.name)}`,
        { method: 'POST', body: `<xml><Encrypt><![CDATA[${TYPED}]]></Encrypt></xml>` },
      );
      expect(forged.status).toBeGreaterThanOrEqual(400);
      const forgedBody = await forged.text();
      await waitFor(async () => (await db!.inbox.countByStatus()).pending === 0, 15_000, 'the worker');
      await server.stop();
      server = null;

      // The canaries went in (control: the check below is not vacuous) and the server did log, verbosely.
      const stored = (await storedPlaintexts(db)).join('\n');
      for (const c of CANARIES) expect(stored).toContain(c);
      expect(lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(15);
      expect(lines.some((l) => l.includes('dead-lettered'))).toBe(true);
      expect(lines.some((l) => l.includes('callback rejected'))).toBe(true);

      const hits = (text: string) => CANARIES.filter((c) => text.includes(c));
      const logged = lines.join('');
      expect(hits(logged), 'canaries in the log lines').toEqual([]);
      expect(hits((await deadLetterReasons(db)).join('\n')), 'canaries in dead-letter reasons').toEqual([]);
      expect(hits(brokenBody + forgedBody), 'canaries in response bodies').toEqual([]);
    }, 120_000);
  });
}
