import { afterEach, describe, expect, it } from 'vitest';
import { sentimentStore } from '../../src/features/sentiment/index.js';
import { kfNoticeXml, signCallback } from '../fakes/wecomSigner.js';
import type { KfSend } from '../fakes/fakeWecomApi.js';
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

/**
 * Issue 11 end to end: a citizen's clue (民意线索) left on 微信客服 — pulled from the fake kf API on a signed notice —
 * lands in the staff review queue as a report with the citizen's data minimised; staff adopt it in WeCom chat and
 * the citizen hears of it once, on 微信客服, inside their 48 h window.
 */
const KF = 'wkClueAccount';
const ENV = { WECOM_KF_OPEN_KFIDS: KF, WECOM_KF_SYNC_INTERVAL_SECONDS: '3600' };
const CITIZEN = 'wm-clue-citizen-1';

function kfNotice(h: Harness): Promise<Response> {
  const signed = signCallback({
    credentials: CREDENTIALS,
    plaintext: kfNoticeXml({
      corpId: CREDENTIALS.corpId,
      token: h.fake.kf.token(KF),
      openKfid: KF,
      createTime: Math.floor(Date.now() / 1000),
    }),
  });
  return fetch(`${h.server.url}/wecom/callback?${signed.query}`, { method: 'POST', body: signed.body });
}

function textOf(s: KfSend): string {
  const t = s.body['text'];
  if (typeof t === 'object' && t !== null && 'content' in t) return String(t.content);
  const m = s.body['msgmenu'];
  return typeof m === 'object' && m !== null && 'head_content' in m ? String(m.head_content) : '';
}

/**
 * The citizen writes, as a person does: having read our last message for a moment (WeCom stamps messages in whole
 * seconds, so a reply in the same second as our question is indistinguishable from one sent before it and our
 * answers would count against the new message's five). Returns what they got back.
 */
async function citizenSays(h: Harness, text: string): Promise<string> {
  await new Promise((r) => setTimeout(r, 1500));
  const before = h.fake.kf.sendsTo(CITIZEN).length;
  h.fake.kf.customerSays({ openKfid: KF, externalUserid: CITIZEN, text });
  expect((await kfNotice(h)).status).toBe(200);
  await waitFor(async () => h.fake.kf.sendsTo(CITIZEN).length > before, 10_000, `an answer to 「${text}」`);
  await settle(h);
  return h.fake.kf.sendsTo(CITIZEN).slice(before).map(textOf).join('\n');
}

async function staffSays(h: Harness, text: string): Promise<string> {
  const before = h.fake.deliveriesTo('wangwu').length;
  expect((await h.postText('wangwu', text, nextMsgId())).status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo('wangwu')
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

describe.each(BACKENDS)('a citizen’s clue on 微信客服 becomes a report ($name)', (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('留言 → review queue (pseudonymised) → 采用 in chat → the citizen is told once on 微信客服', async () => {
    h = await startHarness(backend, ENV);
    expect(await citizenSays(h, '我想给政协留个言')).toContain('请写下您想向县政协反映的问题');
    expect(await citizenSays(h, '我们村到镇上的公交车每天只有两班，老人去镇卫生院看病很不方便。')).toContain(
      '乡镇或街道',
    );
    await citizenSays(h, '是');
    await citizenSays(h, '城关镇');
    expect(await citizenSays(h, '不留了')).toContain('请核对您的留言');
    expect(await citizenSays(h, '确认')).toContain('已送达县政协办公室');

    const [report] = await sentimentStore(h.db).list({});
    expect(report).toMatchObject({ source: 'citizen', state: 'pending', town: '城关镇', contact: null });
    // Minimised: the stored reporter is a pseudonym, not the external userid.
    expect(report!.reporterId).not.toContain(CITIZEN);
    expect(
      h.fake
        .deliveriesTo('wangwu')
        .map(contentOf)
        .filter((t) => t.includes('【新群众留言（民意线索）】')),
    ).toHaveLength(1);

    expect(await staffSays(h, '社情民意审核')).toContain('公交车');
    expect(await staffSays(h, '1')).toContain('当前状态：待审核');
    await staffSays(h, '采用');
    await staffSays(h, '县级');
    await staffSays(h, '综合');
    expect(await staffSays(h, '是')).toContain('已登记');
    await waitFor(
      async () => h!.fake.kf.sendsTo(CITIZEN).some((s) => textOf(s).includes('已被采纳')),
      10_000,
      'the outcome on 微信客服',
    );
    await settle(h);
    expect(h.fake.kf.sendsTo(CITIZEN).filter((s) => textOf(s).includes('已被采纳'))).toHaveLength(1);
    expect(h.fake.kf.refused).toEqual([]);
    expect((await sentimentStore(h.db).get(report!.id))?.state).toBe('adopted');
  }, 120_000);
});
