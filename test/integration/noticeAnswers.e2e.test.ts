import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, nextMsgId, startHarness, type Harness } from './harness.js';
import { admin, noticeBody, noticeEnv, roster, settle, textOf } from './notices.harness.js';
import { noticeStore } from '../../src/features/notices/noticeStore.js';
import { formatShanghai } from '../../src/features/notices/domain/index.js';

async function send(h: Harness, over: Record<string, unknown> = {}): Promise<number> {
  const created = await admin(h.server.url, 'POST', '/notices', noticeBody(over));
  expect(created.status).toBe(201);
  const id = Number(created.json['id']);
  expect((await admin(h.server.url, 'POST', `/notices/${id}/send`)).status).toBe(202);
  return id;
}

const texts = (h: Harness, user: string): string[] =>
  h.fake
    .deliveriesTo(user)
    .filter((d) => d.msgtype === 'text')
    .map((d) => textOf(d.body));

describe.each(BACKENDS)('notice answers in members’ own words ($name)', (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('after a notice card, 「收到，准时参加」 records 参加 for that notice; with two open, 「请假」 asks which', async () => {
    // The real flow files: the which-notice question is the notice_pick flow.
    h = await startHarness(backend, noticeEnv({ FLOWS_DIR: 'flows' }));
    await h.db.members.upsertMany(roster(2));
    const first = await send(h);
    await settle(h);
    await h.postText('m00000', '收到，准时参加', nextMsgId());
    await settle(h);
    expect(await noticeStore(h.db).recipient(first, 'm00000')).toMatchObject({ answer: 'attend' });
    expect(texts(h, 'm00000').at(-1)).toContain('已收到您的回执：参加《城区停车难专题协商会》');

    const second = await send(h, {
      title: '优化营商环境调研',
      startsAt: formatShanghai(new Date(Date.now() + 4 * 86_400_000)),
    });
    await settle(h);
    await h.postText('m00001', '请假', nextMsgId());
    await settle(h);
    expect(texts(h, 'm00001').at(-1)).toMatch(
      /请问要回复「请假」的是哪一份？\n1\. .*《优化营商环境调研》（未回复）\n2\. .*《城区停车难专题协商会》（未回复）/,
    );
    expect(await noticeStore(h.db).recipient(first, 'm00001')).toMatchObject({ answer: null });
    expect(await noticeStore(h.db).recipient(second, 'm00001')).toMatchObject({ answer: null });
    await h.postText('m00001', '2', nextMsgId());
    await settle(h);
    expect(await noticeStore(h.db).recipient(first, 'm00001')).toMatchObject({ answer: 'leave' });
    expect(await noticeStore(h.db).recipient(second, 'm00001')).toMatchObject({ answer: null });
  }, 60_000);
});
