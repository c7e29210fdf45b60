import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noticeStore } from '../../src/features/notices/index.js';
import { proposalStore } from '../../src/features/proposals/index.js';
import { sentimentStore } from '../../src/features/sentiment/index.js';
import { shanghaiParts } from '../../src/shared/chinaTime.js';
import { BACKENDS, contentOf, nextMsgId, settle, startHarness, waitFor, type Harness } from './harness.js';
import { ADMIN_TOKEN, admin, tapXml } from './notices.harness.js';

/**
 * Issue 11 end to end, through encrypted callbacks to the running server and the fake WeCom API: a 不予立案 proposal
 * becomes a 社情民意 report with the member's consent (chat and admin API), and a member's 履职档案 — a notice's
 * attendance (签到 card, staff registering absentees in chat), a proposal's 立案 / 重点 / 优秀 for the first proposer
 * and the co-signer — shows in 我的履职 with the right points; a rules change recomputes them.
 */
async function say(h: Harness, from: string, text: string): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  const res = await h.postText(from, text, nextMsgId());
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

const YEAR = shanghaiParts(new Date()).year;

let seq = 0;
/** A submitted proposal of 张三 (李四 co-signed when asked), as the drafting flow leaves it. */
async function submitted(h: Harness, title: string, cosigner: boolean): Promise<number> {
  seq += 1;
  const store = proposalStore(h.db);
  const n = (await store.maxSeq(YEAR)) + 1;
  await h.db.commit([
    {
      type: 'proposal.submit',
      proposal: {
        submitKey: `duties-e2e-${seq}-${Date.now()}`,
        year: YEAR,
        seq: n,
        number: `〔${YEAR}〕第${String(n).padStart(3, '0')}号`,
        ownerId: 'zhangsan',
        title,
        category: '社会建设',
        subcategory: null,
        reason: `${title}的情况：城区老旧小区多为六层以下住宅，没有电梯，老年住户上下楼困难。`,
        suggestions: '1. 县住建局摸底需求；2. 县财政安排补助资金。',
        handlingUnits: ['县住房和城乡建设局'],
        isPublic: true,
        privateReason: null,
      },
      cosignerIds: cosigner ? ['lisi'] : [],
      at: new Date(),
    },
  ]);
  const p = (await store.listForMember('zhangsan')).find((x) => x.title === title);
  if (!p) throw new Error('not submitted');
  if (cosigner)
    await h.db.commit([
      { type: 'cosigner.respond', proposalId: p.id, userId: 'lisi', status: 'accepted', at: new Date() },
    ]);
  return p.id;
}

async function act(h: Harness, id: number, body: Record<string, unknown>, expected = 200) {
  const r = await admin(h.server.url, 'POST', `/proposals/${id}/actions`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(expected);
  await settle(h);
  return r.json;
}

/** A sent notice whose meeting began `agoMs` ago; `attend` answered 参加; a morning reminder due now if asked. */
async function meeting(
  h: Harness,
  title: string,
  agoMs: number,
  attend: string[],
  morningCard: boolean,
): Promise<number> {
  const now = new Date();
  await h.db.commit([
    {
      type: 'notice.create',
      at: now,
      notice: {
        createKey: `duties-e2e-${title}`,
        title,
        kind: '专题协商会',
        startsAt: new Date(now.getTime() - agoMs),
        place: '县政协三楼会议室',
        content: '议题',
        audience: { all: false, sectors: [], committees: [], userIds: ['zhangsan', 'lisi'] },
        replyBy: new Date(now.getTime() - agoMs - 3_600_000),
        leaveNeedsReason: false,
        createdBy: 'wangwu',
      },
    },
  ]);
  const id = (await noticeStore(h.db).getByCreateKey(`duties-e2e-${title}`))!.id;
  await h.db.commit([
    {
      type: 'notice.send',
      noticeId: id,
      recipients: [
        { userId: 'zhangsan', name: '张三' },
        { userId: 'lisi', name: '李四' },
      ],
      reminders: morningCard ? [{ kind: 'morning', dueAt: now }] : [],
      at: now,
    },
    ...attend.map((userId) => ({
      type: 'notice.answer' as const,
      noticeId: id,
      userId,
      answer: 'attend' as const,
      reason: null,
      at: now,
    })),
  ]);
  return id;
}

describe.each(BACKENDS)('社情民意 from proposals and 履职档案 end to end ($name)', (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('不予立案 → the member agrees → 转社情民意 in chat and by the admin API; the member is told once, with the number', async () => {
    h = await startHarness(backend, { ADMIN_TOKEN });
    const first = await submitted(h, '关于加快老旧小区加装电梯的建议', false);
    const second = await submitted(h, '关于规范城区共享单车停放的建议', false);
    for (const id of [first, second]) {
      await act(h, id, {
        action: 'reject',
        actor: 'wangwu',
        ground: '内容空泛、没有具体建议的',
        note: '建议不够具体',
      });
    }
    expect(told(h, 'zhangsan', '同意转社情民意')).toBe(2);

    // Two proposals not registered: the member is asked which, then names it.
    expect(await say(h, 'zhangsan', '同意转社情民意')).toContain('请说明是哪一件');
    const seqOf = async (id: number) => (await proposalStore(h!.db).get(id))!.seq;
    expect(await say(h, 'zhangsan', `同意转社情民意 ${await seqOf(first)}`)).toContain('已告知提案委员会');
    expect(told(h, 'wangwu', '【转社情民意】张三同意')).toBe(1);

    // Staff convert it in chat.
    expect(await say(h, 'wangwu', '提案人同意转社情民意了')).toContain('请回复要转社情民意的提案');
    expect(await say(h, 'wangwu', '电梯')).toContain('确认将本件提案转为社情民意信息');
    const done = await say(h, 'wangwu', '是');
    expect(done).toContain('已转社情民意');
    const [report] = await sentimentStore(h.db).list({});
    expect(report).toMatchObject({ state: 'pending', reporterId: 'zhangsan', proposalId: first });
    expect(done).toContain(report!.number);
    expect(told(h, 'zhangsan', `已按您的同意转为社情民意信息，编号 ${report!.number}`)).toBe(1);

    // The other one through the admin API: the number comes back; converting twice is refused, one report each.
    const viaApi = await act(h, second, { action: 'convert', actor: 'wangwu', consent: true });
    expect(viaApi).toMatchObject({
      to: 'converted',
      sentimentNumber: expect.stringMatching(/^社情〔\d{4}〕第002号$/),
    });
    await act(h, second, { action: 'convert', actor: 'wangwu', consent: true }, 409);
    await act(h, second, { action: 'convert', actor: 'zhangsan', consent: true }, 403);
    expect(await sentimentStore(h.db).list({})).toHaveLength(2);
    expect(told(h, 'zhangsan', String(viaApi['sentimentNumber']))).toBe(1);
    const view = await admin(h.server.url, 'GET', `/proposals/${second}`);
    expect(view.json).toMatchObject({ status: 'converted', statusLabel: '已转社情民意' });

    // They wait in the 社情民意 review queue and in 我的社情民意.
    const queue = await admin(h.server.url, 'GET', '/sentiment?state=pending&source=member');
    expect(queue.json['count']).toBe(2);
    expect(await say(h, 'zhangsan', '我的社情民意')).toContain('共享单车');
    await settle(h);
    expect(told(h, 'zhangsan', '已按您的同意转为社情民意信息')).toBe(2);
  }, 120_000);

  it('attendance, 立案 / 重点 / 优秀 show in 我的履职 with the right points; a rules change recomputes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xieshang-points-'));
    const pointsFile = join(dir, 'points.yaml');
    copyFileSync('flows/duties/points.yaml', pointsFile);
    h = await startHarness(backend, {
      ADMIN_TOKEN,
      DUTY_POINTS_FILE: pointsFile,
      NOTICE_REMINDER_POLL_MS: '100',
    });

    // A meeting two hours ago (both answered 参加) and one that began just now with its morning 签到 card.
    await meeting(h, '优化营商环境专题协商会', 2 * 3_600_000, ['zhangsan', 'lisi'], false);
    const today = await meeting(h, '城区停车难对口协商会', 30_000, ['zhangsan'], true);
    await waitFor(
      async () => h!.fake.deliveriesTo('zhangsan').some((d) => d.msgtype === 'template_card'),
      15_000,
      'the 签到 card',
    );
    const card = h.fake.deliveriesTo('zhangsan').find((d) => d.msgtype === 'template_card')!;
    expect(JSON.stringify(card.body)).toContain(`notice:${today}:checkin`);
    expect(h.fake.deliveriesTo('lisi').some((d) => d.msgtype === 'template_card')).toBe(false);
    await h.post(tapXml('zhangsan', `notice:${today}:checkin`, 'rc-checkin-1'));
    await settle(h);
    // The tapped button now reads 已签到 (the card update stands for the reply).
    expect(h.fake.cardUpdatesFor('zhangsan').map((u) => JSON.stringify(u.body))).toEqual([
      expect.stringContaining('已签到'),
    ]);

    // Staff register the earlier meeting: 李四 was absent.
    const list = await say(h, 'wangwu', '会开完了，登记一下谁没来');
    expect(list).toContain('优化营商环境专题协商会');
    expect(await say(h, 'wangwu', '营商环境那次')).toContain('回执参加 2 人');
    expect(await say(h, 'wangwu', '李四没来')).toContain('缺席 1 人：李四');
    expect(await say(h, 'wangwu', '是')).toContain('出席 1 人，缺席 1 人');

    // A proposal with 李四 as co-signer: 立案, 重点, handled (staff enter it for a unit without a contact), 满意,
    // then 评为优秀提案 in chat.
    const id = await submitted(h, '关于城区学校周边交通治理的建议', true);
    const unit = '县住房和城乡建设局';
    await act(h, id, { action: 'register', actor: 'wangwu' });
    await act(h, id, { action: 'flag_key', actor: 'wangwu' });
    await act(h, id, { action: 'award_excellent', actor: 'wangwu' }, 409);
    await act(h, id, { action: 'assign', actor: 'wangwu', host: unit });
    await act(h, id, { action: 'sign', actor: 'wangwu', onBehalfOf: unit });
    await act(h, id, {
      action: 'reply',
      actor: 'wangwu',
      onBehalfOf: unit,
      resultClass: 'A',
      text: '已增设护学岗。',
    });
    await act(h, id, { action: 'approve_reply', actor: 'wangwu' });
    await act(h, id, { action: 'evaluate', actor: 'zhangsan', rating: '满意' });
    expect(await say(h, 'wangwu', '年底评选优秀提案')).toContain('学校周边交通治理');
    expect(await say(h, 'wangwu', '1')).toContain('第一提案人：张三；联名：李四');
    expect(await say(h, 'wangwu', '2026年度优秀提案')).toContain('确认将本件提案评为优秀提案');
    expect(await say(h, 'wangwu', '确认')).toContain('已评为优秀提案');
    expect(told(h, 'zhangsan', '被评为优秀提案（2026年度优秀提案）')).toBe(1);
    expect(told(h, 'lisi', '被评为优秀提案')).toBe(1);
    await act(h, id, { action: 'award_excellent', actor: 'wangwu' }, 409);
    const view = await admin(h.server.url, 'GET', `/proposals/${id}`);
    expect(view.json).toMatchObject({ excellent: true, keyProposal: true, status: 'closed' });

    // 张三: submitted 5 + 立案 15 + 重点 15 + 优秀 10 + two meetings attended 2 × 5 = 55.
    const mine = await say(h, 'zhangsan', '我的积分');
    expect(mine).toContain(`张三 ${YEAR} 年履职积分：55 分`);
    expect(mine).toContain('会议活动出席 2 次 × 5 = 10 分');
    expect(mine).toContain('重点提案（第一提案人） 1 次 × 15 = 15 分');
    expect(mine).toContain('优秀提案（第一提案人） 1 次 × 10 = 10 分');
    expect(mine).toContain('今年还没有报送社情民意');
    // 李四: 联名 2 + 立案 3 + 重点 3 + 优秀 2, 无故缺席 −10, the meeting she did not answer −2 = −2.
    const hers = await say(h, 'lisi', '看看我今年的履职情况');
    expect(hers).toContain(`李四 ${YEAR} 年履职积分：-2 分`);
    expect(hers).toContain('会议活动缺席（未请假） 1 次 × -10 = -10 分');
    expect(hers).toContain('优秀提案（联名） 1 次 × 2 = 2 分');

    const api = await admin(h.server.url, 'GET', `/members/zhangsan/duties?year=${YEAR}`);
    expect(api.status).toBe(200);
    expect(api.json).toMatchObject({ userid: 'zhangsan', year: YEAR, points: { total: 55 } });
    expect((api.json['record'] as { what: string }[]).map((r) => r.what)).toEqual(
      expect.arrayContaining(['出席《城区停车难对口协商会》（签到）', '出席《优化营商环境专题协商会》']),
    );

    // Staff change the rules (优秀 first proposer 10 → 20): the points follow at once.
    writeFileSync(
      pointsFile,
      readFileSync(pointsFile, 'utf8').replace(
        'proposal_excellent_first: { points: 10 }',
        'proposal_excellent_first: { points: 20 }',
      ),
    );
    const after = await admin(h.server.url, 'GET', `/members/zhangsan/duties?year=${YEAR}`);
    expect(after.json).toMatchObject({ points: { total: 65 } });
    expect(await say(h, 'zhangsan', '我的履职')).toContain('年履职积分：65 分');
    const stats = await say(h, 'wangwu', '履职统计');
    expect(stats).toContain('李四');
    expect(stats).toContain('退出关');
  }, 120_000);
});
