import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kfStore } from '../../src/channels/wecomKf/index.js';
import { touchWindows } from '../../src/channels/wecomKf/kfWindows.js';
import { kfCursors as liteCursors } from '../../src/channels/wecomKf/tables.sqlite.js';
import { kfCursors as myCursors } from '../../src/channels/wecomKf/tables.mysql.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import type { Database } from '../../src/core/ports.js';
import { sqlHandleOf } from '../../src/store/sqlHandle.js';
import { inbox as liteInbox } from '../../src/store/sqlite/tables.js';
import { inbox as myInbox } from '../../src/store/mysql/tables.js';
import { decryptMessage } from '../../src/wecom/crypto.js';
import { eq } from 'drizzle-orm';
import { kfNoticeXml, signCallback } from '../fakes/wecomSigner.js';
import type { KfSend } from '../fakes/fakeWecomApi.js';
import { BACKENDS, CREDENTIALS, settle, startHarness, waitFor, type Harness } from './harness.js';

const KF = 'wkE2Eaccount';
const ENV = { WECOM_KF_OPEN_KFIDS: `${KF}, wkOther`, WECOM_KF_SYNC_INTERVAL_SECONDS: '3600' };

function notice(h: Harness | { url: string }, token: string): Promise<Response> {
  const url = 'server' in h ? h.server.url : h.url;
  const signed = signCallback({
    credentials: CREDENTIALS,
    plaintext: kfNoticeXml({
      corpId: CREDENTIALS.corpId,
      token,
      openKfid: KF,
      createTime: Math.floor(Date.now() / 1000),
    }),
  });
  return fetch(`${url}/wecom/callback?${signed.query}`, { method: 'POST', body: signed.body });
}

function textOf(s: KfSend): string {
  const t = s.body['text'];
  if (typeof t === 'object' && t !== null && 'content' in t) return String(t.content);
  const m = s.body['msgmenu'];
  return typeof m === 'object' && m !== null && 'head_content' in m ? String(m.head_content) : '';
}

function menuOf(s: KfSend): { head: string; items: [string, string][]; tail: string } {
  const m = s.body['msgmenu'] as
    | { head_content?: string; tail_content?: string; list: { click: { id: string; content: string } }[] }
    | undefined;
  return {
    head: m?.head_content ?? '',
    items: (m?.list ?? []).map((i) => [i.click.id, i.click.content]),
    tail: m?.tail_content ?? '',
  };
}

async function deleteCursor(db: Database): Promise<void> {
  const h = sqlHandleOf(db);
  if (h.dialect === 'sqlite') h.db.delete(liteCursors).run();
  else await h.db.delete(myCursors);
}

/** The citizen's inbox rows, opened: what the inbox holds of what they sent. */
async function storedFor(db: Database, userId: string): Promise<string[]> {
  const h = sqlHandleOf(db);
  const rows =
    h.dialect === 'sqlite'
      ? h.db
          .select({ encrypted: liteInbox.encrypted })
          .from(liteInbox)
          .where(eq(liteInbox.userId, userId))
          .all()
      : await h.db.select({ encrypted: myInbox.encrypted }).from(myInbox).where(eq(myInbox.userId, userId));
  return rows.map((r) => decryptMessage(CREDENTIALS.encodingAesKey, r.encrypted, CREDENTIALS.corpId));
}

for (const backend of BACKENDS) {
  describe(`微信客服 channel end to end (${backend.name})`, () => {
    let h: Harness | null = null;
    let second: RunningServer | null = null;
    afterEach(async () => {
      await second?.stop();
      second = null;
      await h?.close();
      h = null;
    });

    it('pulls a citizen’s messages on a notice and answers them; welcome through send_msg_on_event', async () => {
      h = await startHarness(backend, ENV);
      const { fake } = h;
      fake.kf.enterSession({ openKfid: KF, externalUserid: 'wm-c1', welcome: true });
      expect((await notice(h, fake.kf.token(KF))).status).toBe(200);
      await waitFor(async () => fake.kf.sendsTo('wm-c1').length >= 1, 10_000, 'the welcome');
      expect(fake.kf.sendsTo('wm-c1')[0]).toMatchObject({ via: 'send_msg_on_event' });
      expect(textOf(fake.kf.sendsTo('wm-c1')[0]!)).toContain('民意征集');

      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-c1', text: '我想写提案' });
      expect((await notice(h, fake.kf.token(KF))).status).toBe(200);
      await waitFor(async () => fake.kf.sendsTo('wm-c1').length >= 2, 10_000, 'the answer');
      const answer = fake.kf.sendsTo('wm-c1')[1]!;
      expect(answer).toMatchObject({ via: 'send_msg', openKfid: KF, msgtype: 'msgmenu' });
      // A citizen is not offered members' services: they are told what they can do here.
      expect(menuOf(answer).tail).toContain('仅面向政协委员');
      await settle(h);
      expect(fake.kf.refused).toEqual([]);
      // The inbox holds the notices (recorded) and each pulled message under its msgid.
      const counts = await h.db.inbox.countByStatus();
      expect(counts).toMatchObject({ pending: 0, dead: 0, done: 4 });
    });

    it('repeated notices, overlapping pages and a lost cursor neither lose nor double a message', async () => {
      h = await startHarness(backend, ENV);
      const { fake } = h;
      fake.kf.setPaging({ pageSize: 2, overlap: 1, emptyPagesFirst: 1 });
      for (let i = 0; i < 3; i++)
        fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-d1', text: `你好${i}` });
      const token = fake.kf.token(KF);
      // WeCom's retries of one notice, and a second notice.
      await Promise.all([notice(h, token), notice(h, token), notice(h, fake.kf.token(KF))]);
      await waitFor(async () => fake.kf.sendsTo('wm-d1').length >= 3, 10_000, 'three answers');
      await settle(h);
      // The crash between storing a page and saving the cursor: the next pull starts from the beginning again.
      await deleteCursor(h.db);
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-d1', text: '还有一条' });
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => fake.kf.sendsTo('wm-d1').length >= 4, 10_000, 'the fourth answer');
      await settle(h);
      expect(fake.kf.sendsTo('wm-d1')).toHaveLength(4);
      expect(await kfStore(h.db).cursor(KF)).not.toBe('');
      expect(fake.kf.refused).toEqual([]);
    });

    it('never sends a 6th message or a late one: they are failed with the reason, WeCom refuses nothing', async () => {
      h = await startHarness(backend, ENV);
      const { fake } = h;
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-e1', text: '你好' });
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => fake.kf.sendsTo('wm-e1').length >= 1, 10_000, 'the answer');
      const now = new Date();
      // Six more messages for the same citizen (as a broadcast would queue them): 4 fit in the window.
      await h.db.commit(
        Array.from({ length: 6 }, (_, i) => ({
          type: 'outbox.add' as const,
          at: now,
          message: {
            dedupKey: `e2e-kf-${i}`,
            toUser: 'wm-e1',
            channel: 'wecom-kf',
            message: { msgtype: 'text' as const, text: { content: `第${i}条` } },
          },
        })),
      );
      // A citizen who last wrote 49 hours ago.
      await touchWindows(
        kfStore(h.db),
        [{ openKfid: KF, externalUserid: 'wm-late', customerAt: new Date(now.getTime() - 49 * 3600_000) }],
        now,
      );
      await h.db.commit([
        {
          type: 'outbox.add',
          at: now,
          message: {
            dedupKey: 'e2e-kf-late',
            toUser: 'wm-late',
            channel: 'wecom-kf',
            message: { msgtype: 'text', text: { content: '迟到的消息' } },
          },
        },
      ]);
      await settle(h);
      expect(fake.kf.sendsTo('wm-e1')).toHaveLength(5);
      expect(fake.kf.sendsTo('wm-late')).toHaveLength(0);
      expect(fake.kf.refused).toEqual([]);
      const failed = await h.db.outbox.listForUser('wm-e1', 0, 100);
      expect(failed.filter((o) => o.status === 'failed').map((o) => o.lastErrcode)).toEqual([95001, 95001]);
      const late = await h.db.outbox.listForUser('wm-late', 0, 100);
      expect(late.map((o) => [o.status, o.lastErrcode])).toEqual([['failed', 95002]]);
    });

    it('a send WeCom took but whose answer was lost is resent with its msgid and recorded as delivered', async () => {
      h = await startHarness(backend, ENV);
      const { fake } = h;
      // kf/send_msg takes the message, then its answer stalls past the client's timeout (WECOM_API_TIMEOUT_MS).
      fake.injectFaults('kf/send_msg', [{ hangMs: 2500, apply: true }]);
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-dup', text: '你好，我想了解一下' });
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => fake.kf.duplicates.length >= 1, 15_000, 'the resend of the same msgid');
      await settle(h);
      expect(fake.kf.sendsTo('wm-dup')).toHaveLength(1);
      const rows = await h.db.outbox.listForUser('wm-dup', 0, 10);
      expect(rows.map((r) => r.status)).toEqual(['sent']);
      expect(rows[0]?.wecomMsgId).toBe(fake.kf.duplicates[0]);
      // The resend was no new message: the citizen still has 4 of the 5 messages WeCom allows.
      const window = await kfStore(h.db).window(KF, 'wm-dup');
      expect(window?.sends).toHaveLength(1);
    });

    it('a msg_send_fail event pulled later fails the outbox item it names, with its fail_type', async () => {
      h = await startHarness(backend, ENV);
      const { fake } = h;
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-fail', text: '在吗？想问问政协的事' });
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => fake.kf.sendsTo('wm-fail').length >= 1, 10_000, 'the answer');
      await settle(h);
      const sentMsgid = String(fake.kf.sendsTo('wm-fail')[0]!.body['msgid']);
      expect((await h.db.outbox.listForUser('wm-fail', 0, 10)).map((r) => r.status)).toEqual(['sent']);
      // WeCom took it, then could not deliver it; and a servicer's own message failed too (not ours).
      const failEvent = (msgid: string): string =>
        fake.kf.push(KF, {
          origin: 4,
          msgtype: 'event',
          event: {
            event_type: 'msg_send_fail',
            open_kfid: KF,
            external_userid: 'wm-fail',
            fail_msgid: msgid,
            fail_type: 10,
          },
        });
      failEvent(sentMsgid);
      failEvent('servicer-msg-1');
      await notice(h, fake.kf.token(KF));
      await waitFor(
        async () => (await h!.db.outbox.listForUser('wm-fail', 0, 10))[0]?.status === 'failed',
        10_000,
        'the item failed',
      );
      await settle(h);
      const [row] = await h.db.outbox.listForUser('wm-fail', 0, 10);
      expect(row?.lastError).toContain('msg_send_fail');
      expect(row?.lastError).toContain('fail_type 10');
      // Recorded, never answered.
      expect(fake.kf.sendsTo('wm-fail')).toHaveLength(1);
      expect(await h.db.inbox.countByStatus()).toMatchObject({ pending: 0, dead: 0 });
    });

    it('a citizen writing without a link gets the open surveys and 留言反映问题 as a menu; a tap starts one', async () => {
      h = await startHarness(backend, { ...ENV, ADMIN_TOKEN: 'e2e-admin-token-0123456789abcdef' });
      const { fake } = h;
      const opened = await fetch(`${h.server.url}/admin/api/surveys/minsheng_2027/open`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer e2e-admin-token-0123456789abcdef',
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(opened.status).toBe(200);
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-m1', text: '你好，现在有什么可以参与的吗？' });
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-m2', text: '请问怎么联系你们' });
      await notice(h, fake.kf.token(KF));
      await waitFor(
        async () => fake.kf.sendsTo('wm-m1').length >= 1 && fake.kf.sendsTo('wm-m2').length >= 1,
        10_000,
        'the menus',
      );
      const menu = menuOf(fake.kf.sendsTo('wm-m1')[0]!);
      expect(fake.kf.sendsTo('wm-m1')[0]).toMatchObject({ msgtype: 'msgmenu' });
      expect(menu.items).toEqual([
        ['survey:minsheng_2027', '2027年民生实事项目征集'],
        ['留言反映问题', '留言反映问题'],
      ]);
      expect(menu.head).toContain('点击');
      // Taps come back as texts carrying the item's id: one citizen starts the survey, the other leaves a message.
      fake.kf.customerSays({
        openKfid: KF,
        externalUserid: 'wm-m1',
        text: '2027年民生实事项目征集',
        menuId: 'survey:minsheng_2027',
      });
      fake.kf.customerSays({
        openKfid: KF,
        externalUserid: 'wm-m2',
        text: '留言反映问题',
        menuId: '留言反映问题',
      });
      await notice(h, fake.kf.token(KF));
      await waitFor(
        async () => fake.kf.sendsTo('wm-m1').length >= 2 && fake.kf.sendsTo('wm-m2').length >= 2,
        10_000,
        'the survey and the clue flow',
      );
      await settle(h);
      const survey = fake.kf.sendsTo('wm-m1').slice(1).map(textOf).join('\n');
      expect(survey).toContain('县政协正在征集群众对2027年县级民生实事项目的意见');
      expect(survey).toContain('最应该办的民生实事');
      const clue = fake.kf.sendsTo('wm-m2').slice(1).map(textOf).join('\n');
      expect(clue).toContain('请写下您想向县政协反映的问题');
      expect(clue).not.toContain('仅面向政协委员');
      expect(fake.kf.refused).toEqual([]);
    });

    it('a choice question goes out as a msgmenu; a tap on it answers the question', async () => {
      const flowsDir = mkdtempSync(join(tmpdir(), 'xieshang-kf-flows-'));
      for (const f of readdirSync('flows').filter((n) => n.endsWith('.yaml') && !n.endsWith('.test.yaml')))
        cpSync(join('flows', f), join(flowsDir, f));
      cpSync('test/fixtures/publicFlows/town_poll.yaml', join(flowsDir, 'town_poll.yaml'));
      try {
        h = await startHarness(backend, { ...ENV, FLOWS_DIR: flowsDir });
        const { fake } = h;
        fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-g1', text: '小调查' });
        await notice(h, fake.kf.token(KF));
        await waitFor(async () => fake.kf.sendsTo('wm-g1').length >= 1, 10_000, 'the question');
        const menu = fake.kf.sendsTo('wm-g1')[0]!;
        expect(menu).toMatchObject({
          msgtype: 'msgmenu',
          body: {
            msgmenu: {
              head_content: '您最关心哪一项？',
              list: [
                { type: 'click', click: { id: 'edu', content: '教育' } },
                { type: 'click', click: { id: 'elder', content: '养老' } },
              ],
            },
          },
        });
        fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-g1', text: '养老', menuId: 'elder' });
        await notice(h, fake.kf.token(KF));
        await waitFor(async () => fake.kf.sendsTo('wm-g1').length >= 2, 10_000, 'the thanks');
        expect(textOf(fake.kf.sendsTo('wm-g1')[1]!)).toContain('您选择了养老');
      } finally {
        rmSync(flowsDir, { recursive: true, force: true });
      }
    });

    it.skipIf(!backend.redisUrl)(
      'two instances: notices to both, every message answered exactly once',
      async () => {
        h = await startHarness(backend, ENV);
        const { fake } = h;
        second = await startServer(h.config, { logger: createLogger('silent') });
        fake.kf.setPaging({ pageSize: 3 });
        const citizens = ['wm-f1', 'wm-f2', 'wm-f3', 'wm-f4'];
        for (let round = 0; round < 3; round++) {
          for (const c of citizens)
            fake.kf.customerSays({ openKfid: KF, externalUserid: c, text: `第${round}条` });
          await Promise.all([notice(h, fake.kf.token(KF)), notice(second, fake.kf.token(KF))]);
        }
        await waitFor(
          async () => citizens.every((c) => fake.kf.sendsTo(c).length >= 3),
          15_000,
          'every citizen answered three times',
        );
        await settle(h);
        for (const c of citizens) expect(fake.kf.sendsTo(c)).toHaveLength(3);
        expect(fake.kf.refused).toEqual([]);
      },
    );

    it('a flood gets one polite answer and nothing more; an over-long text is refused and not stored whole', async () => {
      h = await startHarness(backend, {
        ...ENV,
        KF_CITIZEN_MAX_PER_MINUTE: '3',
        KF_CITIZEN_MUTE_MINUTES: '10',
        KF_CITIZEN_TEXT_MAX_CHARS: '100',
      });
      const { fake } = h;
      const db = h.db;
      // Eight messages sent within one second: three are answered, the fourth gets the polite answer.
      const sent = Math.floor(Date.now() / 1000);
      const flood = (text: string, at: number): string =>
        fake.kf.push(KF, {
          open_kfid: KF,
          external_userid: 'wm-flood',
          origin: 3,
          msgtype: 'text',
          text: { content: text },
          send_time: at,
        });
      for (let i = 0; i < 8; i++) flood(`你好${i}`, sent);
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => (await storedFor(db, 'wm-flood')).length === 8, 10_000, 'the flood stored');
      await settle(h);
      const answers = fake.kf.sendsTo('wm-flood').map(textOf);
      expect(answers).toHaveLength(4);
      expect(answers.slice(0, 3).every((t) => !t.includes('太频繁'))).toBe(true);
      expect(answers[3]).toContain('太频繁');
      expect(answers[3]).toContain('10 分钟');
      // Still muted a minute later: recorded, not answered.
      flood('在吗', sent + 60);
      flood('在吗？', sent + 61);
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => (await storedFor(db, 'wm-flood')).length === 10, 10_000, 'the rest stored');
      await settle(h);
      expect(fake.kf.sendsTo('wm-flood')).toHaveLength(4);

      const long = '我要反映村口道路破损的问题'.repeat(20); // 260 characters
      fake.kf.customerSays({ openKfid: KF, externalUserid: 'wm-long', text: long });
      await notice(h, fake.kf.token(KF));
      await waitFor(async () => fake.kf.sendsTo('wm-long').length >= 1, 10_000, 'the refusal');
      await settle(h);
      expect(fake.kf.sendsTo('wm-long')).toHaveLength(1);
      expect(textOf(fake.kf.sendsTo('wm-long')[0]!)).toContain('超过 100 字');
      const kept = await storedFor(db, 'wm-long');
      expect(kept).toHaveLength(1);
      expect(kept[0]).not.toContain(long);
      expect(kept[0]).not.toContain(long.slice(0, 51));
      expect(kept[0]).toContain(long.slice(0, 50));
      const counts = await db.inbox.countByStatus();
      expect(counts).toMatchObject({ pending: 0, dead: 0 });
      expect(fake.kf.refused).toEqual([]);
    });
  });
}
