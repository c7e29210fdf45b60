import { afterEach, describe, expect, it } from 'vitest';
import { signCallback } from '../fakes/wecomSigner.js';
import { BACKENDS, CREDENTIALS, startHarness, waitFor, type Harness } from './harness.js';
import {
  ADMIN_TOKEN,
  admin,
  buttonKeys,
  noticeBody,
  noticeEnv,
  roster,
  setReplyBy,
  settle,
  tapXml,
  textOf,
} from './notices.harness.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';

async function openNotice(h: Harness, members: number, over: Record<string, unknown> = {}): Promise<number> {
  await h.db.members.upsertMany(roster(members));
  const created = await admin(h.server.url, 'POST', '/notices', noticeBody(over));
  expect(created.status).toBe(201);
  const id = Number(created.json['id']);
  expect((await admin(h.server.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
  return id;
}

describe.each(BACKENDS)('consultation notices end to end ($name)', (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('admin API: token required, every bad field reported, off without ADMIN_TOKEN', async () => {
    h = await startHarness(backend, noticeEnv());
    expect((await admin(h.server.url, 'POST', '/notices', noticeBody(), null)).status).toBe(401);
    expect(
      (await admin(h.server.url, 'POST', '/notices', noticeBody(), 'wrong-token-xxxxxxxxxxxxxxxx')).status,
    ).toBe(401);
    const bad = await admin(h.server.url, 'POST', '/notices', {
      title: '',
      kind: '茶话会',
      startsAt: '明天上午',
      place: 'x'.repeat(40),
      content: 5,
      audience: { sectors: ['不存在界'] },
      replyBy: '2020-01-01',
      leaveNeedsReason: 'yes',
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    const fields = (bad.json['problems'] as { field: string }[]).map((p) => p.field).sort();
    expect(fields).toEqual(
      ['colour', 'content', 'kind', 'leaveNeedsReason', 'place', 'replyBy', 'startsAt', 'title'].sort(),
    );
    // With the fields right, an audience nobody is in is the remaining problem.
    const nobody = await admin(
      h.server.url,
      'POST',
      '/notices',
      noticeBody({ audience: { sectors: ['不存在界'] } }),
    );
    expect(nobody.status).toBe(400);
    expect(nobody.json['problems']).toEqual([
      { field: 'audience.sectors', message: '以下界别没有在册委员：不存在界' },
    ]);
    expect((await admin(h.server.url, 'POST', '/notices', '{"title":')).status).toBe(400);
    expect((await admin(h.server.url, 'POST', '/notices/99999/send')).status).toBe(404);
    const plain = await fetch(`${h.server.url}/admin/api/notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(plain.status).toBe(415);
    const huge = await admin(h.server.url, 'POST', '/notices', {
      ...noticeBody(),
      content: 'x'.repeat(600_000),
    });
    expect(huge).toMatchObject({ status: 413, json: { message: '请求体过大' } });
    expect((await admin(h.server.url, 'GET', '/notices/abc/receipts')).status).toBe(404);
    await h.close();
    h = await startHarness(backend, { FLOWS_DIR: noticeEnv()['FLOWS_DIR']! });
    expect((await admin(h.server.url, 'POST', '/notices', noticeBody())).status).toBe(404);
  }, 60_000);

  it('sends a notice to 2,500 members in 3 message/send calls, one card each, delivery tracked', async () => {
    h = await startHarness(backend, noticeEnv());
    // The harness roster has two 委员 (and one staff member): 2,498 more make 2,500 recipients.
    h.fake.setInvalidUsers(['m00007']);
    h.fake.setUnlicensedUsers(['m00008']);
    const id = await openNotice(h, 2498);
    // Sending again changes nothing.
    expect((await admin(h.server.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
    await settle(h);
    expect(h.fake.sendCalls).toBe(3);
    expect(h.fake.sendBodies.map((b) => String(b['touser']).split('|').length)).toEqual([1000, 1000, 500]);
    const cards = h.fake.deliveries.filter((d) => d.msgtype === 'template_card');
    expect(cards).toHaveLength(2498);
    expect(new Set(cards.map((d) => d.touser)).size).toBe(2498);
    expect(h.fake.deliveriesTo('m00007')).toHaveLength(0);
    expect(buttonKeys(cards[0]!.body)).toEqual([`notice:${id}:attend`, `notice:${id}:leave`]);

    const receipts = await admin(h.server.url, 'GET', `/notices/${id}/receipts`);
    expect(receipts.status).toBe(200);
    expect(receipts.json['counts']).toEqual({
      total: 2500,
      attend: 0,
      leave: 0,
      noAnswer: 2500,
      delivery: { pending: 0, sent: 2498, failed: 2 },
    });
    const rows = receipts.json['recipients'] as {
      userid: string;
      delivery: string;
      deliveryError: string | null;
    }[];
    expect(rows.filter((r) => r.delivery === 'failed').map((r) => [r.userid, r.deliveryError])).toEqual([
      ['m00007', 'invaliduser'],
      ['m00008', 'unlicenseduser'],
    ]);
  }, 90_000);

  it('counts taps from 300 members; repeats change nothing; a change of mind is kept; late taps are refused', async () => {
    h = await startHarness(backend, noticeEnv({ OFFICE_CONTACT: '县政协办公室（电话 1234567）' }));
    const id = await openNotice(h, 298);
    await settle(h);
    const attend = `notice:${id}:attend`;
    const leave = `notice:${id}:leave`;
    const users = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(5, '0')}`).slice(0, 298);
    const posted = await Promise.all(
      users.map((u, i) => h!.post(tapXml(u, i < 200 ? attend : leave, `rc-tap-${u}`))),
    );
    expect(posted.every((r) => r.status === 200)).toBe(true);
    await settle(h);
    let counts = (await admin(h.server.url, 'GET', `/notices/${id}/receipts`)).json['counts'];
    expect(counts).toMatchObject({ total: 300, attend: 200, leave: 98, noAnswer: 2 });
    // Each tap updated the tapped card with its own response code, and sent no text.
    expect(h.fake.cardUpdatesFor('m00000').map((u) => u.body['button'])).toEqual([
      { replace_name: '已选择：参加' },
    ]);
    expect(h.fake.cardUpdatesFor('m00250').map((u) => u.body['response_code'])).toEqual(['rc-tap-m00250']);
    expect(h.fake.deliveriesTo('m00000').filter((d) => d.msgtype === 'text')).toHaveLength(0);

    // A repeated tap and a retried callback change nothing.
    const before = await noticeStore(h.db).recipient(id, 'm00001');
    const xml = tapXml('m00001', attend, 'rc-again');
    for (let i = 0; i < 2; i++) {
      const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
      await fetch(`${h.server.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
    }
    await settle(h);
    expect(await noticeStore(h.db).recipient(id, 'm00001')).toEqual(before);

    // A change of mind before the deadline is kept; a spent response code gets the text instead.
    h.fake.expireResponseCodes(['rc-old']);
    await h.post(tapXml('m00002', leave, 'rc-old'));
    await settle(h);
    expect(await noticeStore(h.db).recipient(id, 'm00002')).toMatchObject({ answer: 'leave' });
    const fallback = h.fake.deliveriesTo('m00002').filter((d) => d.msgtype === 'text');
    expect(fallback.map((d) => textOf(d.body))).toEqual([expect.stringContaining('已为您更改回执：请假')]);

    // An answer typed as text goes to the latest open notice.
    await h.postText('lisi', '回复 参加', '7000000000000000001');
    await settle(h);
    expect(await noticeStore(h.db).recipient(id, 'lisi')).toMatchObject({ answer: 'attend' });

    counts = (await admin(h.server.url, 'GET', `/notices/${id}/receipts`)).json['counts'];
    expect(counts).toMatchObject({ attend: 200, leave: 99, noAnswer: 1 });

    // After the deadline: refused politely, with whom to call; nothing changes.
    await setReplyBy(h, id, new Date(Date.now() - 60_000));
    await h.post(tapXml('m00003', leave, 'rc-late'));
    await settle(h);
    expect(await noticeStore(h.db).recipient(id, 'm00003')).toMatchObject({ answer: 'attend' });
    const late = h.fake.deliveriesTo('m00003').filter((d) => d.msgtype === 'text');
    expect(late.map((d) => textOf(d.body))).toEqual([
      expect.stringMatching(/已于.*截止.*县政协办公室（电话 1234567）/),
    ]);
  }, 90_000);

  it('reminds non-responders on schedule (poller in the server) and on request, not those who answered', async () => {
    h = await startHarness(
      backend,
      noticeEnv({ NOTICE_REMIND_BEFORE_HOURS: '1', NOTICE_REMINDER_POLL_MS: '100' }),
    );
    // Reply deadline in 1 h 3 s: the non-responder reminder falls due 3 s after sending.
    const id = await openNotice(h, 3, { replyBy: new Date(Date.now() + 3_603_000).toISOString() });
    await settle(h);
    await h.post(tapXml('m00000', `notice:${id}:attend`, 'rc-r1'));
    await settle(h);
    const reminded = (u: string): string[] =>
      h!.fake
        .deliveriesTo(u)
        .filter((d) => d.msgtype === 'text')
        .map((d) => textOf(d.body));
    await waitFor(async () => reminded('m00001').length > 0, 15_000, 'the scheduled reminder');
    await settle(h);
    expect(reminded('m00001')).toEqual([expect.stringContaining('您尚未回复《城区停车难专题协商会》')]);
    expect(reminded('m00000')).toEqual([]);
    expect((await noticeStore(h.db).reminders(id)).map((r) => [r.kind, r.doneAt !== null])).toEqual([
      ['nonResponders', true],
      ['morning', false],
    ]);
    const manual = await admin(h.server.url, 'POST', `/notices/${id}/remind`);
    expect(manual).toMatchObject({ status: 202, json: { reminded: 4 } });
    await settle(h);
    expect(reminded('m00002')).toHaveLength(2);
    expect(reminded('m00000')).toEqual([]);
  }, 60_000);
});
