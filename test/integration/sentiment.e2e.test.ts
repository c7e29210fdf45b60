import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, contentOf, nextMsgId, settle, startHarness, type Harness } from './harness.js';
import { ADMIN_TOKEN, admin } from './notices.harness.js';
import { sentimentStore } from '../../src/features/sentiment/sentimentStore.js';

/**
 * Issue 11 end to end, through real encrypted callbacks and the fake WeCom API: a member reports a 社情民意, staff
 * adopt it at 市 level in chat, a 批示 is recorded through the admin API, and the member hears of each outcome once.
 */
async function say(h: Harness, from: string, text: string, msgId = nextMsgId()): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  const res = await h.postText(from, text, msgId);
  expect(res.status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

const told = (h: Harness, user: string, needle: string): number =>
  h.fake
    .deliveriesTo(user)
    .map(contentOf)
    .filter((t) => t.includes(needle)).length;

describe.each(BACKENDS)('社情民意 end to end ($name)', (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('member reports → staff adopt at 市 level → 批示 via the admin API; the member is told of each once', async () => {
    h = await startHarness(backend, { ADMIN_TOKEN });
    expect(await say(h, 'zhangsan', '我想反映一个社情民意')).toContain('第 1 步');
    expect(await say(h, 'zhangsan', '关于城区学校周边交通拥堵的情况反映')).toContain('第 2 步');
    expect(await say(h, 'zhangsan', '3')).toContain('第 3 步');
    expect(
      await say(
        h,
        'zhangsan',
        '城区实验小学周边道路上下学时段车辆拥堵严重，家长接送车辆占道停放，学生过马路存在安全隐患。',
      ),
    ).toContain('第 4 步');
    expect(await say(h, 'zhangsan', '学校周边缺少临时停车位，交警疏导力量不足。')).toContain('第 5 步');
    expect(
      await say(h, 'zhangsan', '1. 县公安局交警大队在上下学时段加强疏导；\n2. 县城管局规划临时接送停车区。'),
    ).toContain('第 6 步');
    expect(await say(h, 'zhangsan', '否')).toContain('请核对您的社情民意');
    const confirmId = nextMsgId();
    const done = await say(h, 'zhangsan', '确认', confirmId);
    expect(done).toMatch(/已提交，编号 社情〔\d{4}〕第001号，状态：待审核/);
    await say(h, 'zhangsan', '确认', confirmId);
    const [report] = await sentimentStore(h.db).listForReporter('zhangsan');
    expect(report).toMatchObject({ state: 'pending', category: '城乡建设', source: 'member' });
    expect(await sentimentStore(h.db).list({})).toHaveLength(1);
    expect(told(h, 'wangwu', '【新社情民意】')).toBe(1);

    // Staff review in chat: the queue, the report, 采用 at 市 level.
    expect(await say(h, 'wangwu', '社情民意审核')).toContain('关于城区学校周边交通拥堵的情况反映');
    expect(await say(h, 'wangwu', '1')).toContain('当前状态：待审核');
    expect(await say(h, 'wangwu', '采用')).toContain('采用级别');
    expect(await say(h, 'wangwu', '市级')).toContain('采用方式');
    expect(await say(h, 'wangwu', '单篇')).toContain('确认登记「采用」');
    expect(await say(h, 'wangwu', '是')).toContain('已通知反映人');
    expect(told(h, 'zhangsan', '已被市级单篇采用')).toBe(1);

    // A 批示 through the admin API: same rules; a member as actor is 403, adopting again is 409.
    const id = report!.id;
    const forbidden = await admin(h.server.url, 'POST', `/sentiment/${id}/actions`, {
      action: 'instruct',
      actor: 'lisi',
      by: '县长',
      text: '请研究',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json['message']).toContain('工作人员');
    const again = await admin(h.server.url, 'POST', `/sentiment/${id}/actions`, {
      action: 'adopt',
      actor: 'wangwu',
      level: '省',
      mode: '单篇',
    });
    expect(again.status).toBe(409);
    expect(again.json['message']).toContain('已采用');
    const bad = await admin(h.server.url, 'POST', `/sentiment/${id}/actions`, {
      action: 'instruct',
      actor: 'wangwu',
    });
    expect(bad.status).toBe(400);
    const ok = await admin(h.server.url, 'POST', `/sentiment/${id}/actions`, {
      action: 'instruct',
      actor: 'wangwu',
      by: '市委副书记 王某',
      text: '请市交通局会同县里研究解决。',
    });
    expect(ok.status).toBe(200);
    await settle(h);
    expect(told(h, 'zhangsan', '获得领导批示（市委副书记 王某）')).toBe(1);
    expect(told(h, 'zhangsan', '已被市级单篇采用')).toBe(1);

    const one = await admin(h.server.url, 'GET', `/sentiment/${id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ state: 'adopted', stateLabel: '已采用', level: '市', instructions: 1 });
    expect((one.json['timeline'] as { action: string }[]).map((e) => e.action)).toEqual([
      'submit',
      'adopt',
      'instruct',
    ]);
    const list = await admin(h.server.url, 'GET', '/sentiment?state=adopted&source=member');
    expect(list.json['count']).toBe(1);
    expect((await admin(h.server.url, 'GET', '/sentiment?state=nonsense')).status).toBe(400);
    expect((await admin(h.server.url, 'GET', '/sentiment/999')).status).toBe(404);

    // The member sees it in 我的社情民意 with its state.
    expect(await say(h, 'zhangsan', '我的社情民意')).toContain('— 已采用');
  });
});
