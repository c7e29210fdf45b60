import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/core/channel.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import { createInboundHandler } from '../../../src/core/handleInbound.js';
import { pendingLookup } from '../../../src/core/helpAnswer.js';
import type { Database } from '../../../src/core/ports.js';
import { createEffectRunner } from '../../../src/core/runEffect.js';
import { reviewReport } from '../../../src/features/sentiment/index.js';
import { sentimentStore } from '../../../src/features/sentiment/sentimentStore.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testRegistry, testSqlite } from '../../support/testDatabase.js';
import { sayAs, testHandler, type TestHandler } from '../../support/testHandler.js';

/**
 * A citizen on 微信客服 (actor { channel: 'wecom-kf', member: null }) leaves a clue through the real flows, routes and
 * effects; staff act on it; the citizen hears of each outcome once — at once inside their 48 h window, else the
 * next time they write. The channel here is a stand-in with the 微信客服 channel's id and its welcome to strangers.
 */
const KF = 'wecom-kf';
const CITIZEN = 'wmCitizenExternal0001';
const T0 = new Date('2026-11-02T01:00:00Z');
const hours = (n: number) => new Date(T0.getTime() + n * 3600_000);

const kfChannel: Channel = {
  id: KF,
  strangers: 'welcome',
  decode: () => {
    throw new Error('not used: the test hands decoded input');
  },
  deliver: () => Promise.reject(new Error('not used')),
};

let db: Database;
let citizen: (text: string, now: Date) => Promise<string>;
let member: TestHandler;
let inboxId = 0;

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  const flows = createFlowRegistry(await readFlowFiles('flows'));
  const logger = pino({ level: 'silent' });
  const handle = createInboundHandler({
    db,
    flows,
    routes: testRegistry.routes,
    runEffect: createEffectRunner({ effects: testRegistry.effects, db, logger }),
    logger,
    idleMs: 30 * 60_000,
    draftFlows: testRegistry.draftFlows,
    officeContact: '县政协办公室',
    pending: pendingLookup(testRegistry.features, db),
  });
  citizen = async (text, now) => {
    inboxId += 1;
    const changes = await handle(
      { channel: kfChannel, actorId: CITIZEN, input: { type: 'text', text } },
      { inboxId, now },
    );
    await db.commit(changes);
    return changes
      .flatMap((c) => (c.type === 'outbox.add' && c.message.toUser === CITIZEN ? [c.message] : []))
      .map((m) => {
        expect(m.channel).toBe(KF);
        return m.message.msgtype === 'text' ? m.message.text.content : '';
      })
      .join('\n');
  };
  member = testHandler(db, flows);
});
afterEach(async () => {
  await db.close();
});

async function leaveClue(
  now: Date,
  message: string,
  extra: { town?: string; contact?: string } = {},
): Promise<void> {
  expect(await citizen('留言反映问题', now)).toContain('请写下您想向县政协反映的问题');
  expect(await citizen(message, now)).toContain('乡镇或街道');
  if (extra.town) {
    await citizen('是', now);
    await citizen(extra.town, now);
  } else await citizen('不用了', now);
  if (extra.contact) {
    await citizen('好的', now);
    await citizen(extra.contact, now);
  } else await citizen('不留', now);
  expect(await citizen('确认', now)).toContain('已送达县政协办公室');
}

async function outboxFor(user: string): Promise<string[]> {
  return (await db.outbox.listForUser(user, 0, 100)).map((o) =>
    o.message.msgtype === 'text' ? o.message.text.content : '',
  );
}

describe('citizen clues (留言反映问题)', () => {
  it('lands in the review queue with a pseudonym, no town or contact unless given; staff are told', async () => {
    await leaveClue(hours(0), '我们村到镇上的公交车每天只有两班，老人看病很不方便。');
    await leaveClue(hours(0.5), '小区门口的路灯坏了一个多月了，晚上很黑。', {
      town: '城关镇',
      contact: '13900001111',
    });
    const [first, second] = await sentimentStore(db).list({ source: 'citizen' });
    expect(first).toMatchObject({
      state: 'pending',
      title: '我们村到镇上的公交车每天只有两班，老人看病很不方便',
      town: null,
      contact: null,
      replyTo: CITIZEN,
      replyChannel: KF,
    });
    expect(first!.reporterId).toMatch(/^c:[0-9a-f]{40}$/);
    expect(first!.reporterId).not.toContain(CITIZEN);
    expect(second).toMatchObject({ town: '城关镇', contact: '13900001111', reporterId: first!.reporterId });
    expect((await outboxFor('wangwu')).filter((t) => t.includes('【新群众留言（民意线索）】'))).toHaveLength(
      2,
    );
  });

  it('an outcome inside the 48 h window goes out at once, once; outside it waits for the next message', async () => {
    await leaveClue(hours(0), '我们村到镇上的公交车每天只有两班，老人看病很不方便。');
    const [report] = await sentimentStore(db).list({});
    const adopted = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'adopt', level: '县', mode: '综合' },
      actorId: 'wangwu',
      now: hours(2),
    });
    if (!adopted.ok) throw new Error(adopted.reason);
    await db.commit(adopted.changes);
    expect((await outboxFor(CITIZEN)).filter((t) => t.includes('已被采纳'))).toHaveLength(1);

    // Three days later the window is closed: the 转办 result waits.
    const forwarded = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'forward', unit: '县交通运输局', dueDate: '2026-12-31' },
      actorId: 'wangwu',
      now: hours(72),
    });
    if (!forwarded.ok) throw new Error(forwarded.reason);
    expect(forwarded.event.tell).toBe('waiting');
    await db.commit(forwarded.changes);
    expect((await outboxFor(CITIZEN)).filter((t) => t.includes('县交通运输局'))).toHaveLength(0);

    // The citizen writes again: told now, exactly once, and a clue keyword still starts a new clue.
    const reply = await citizen('留言反映问题', hours(80));
    expect(reply).toContain('已转县交通运输局办理');
    expect(reply).toContain('请写下您想向县政协反映的问题');
    await citizen('取消', hours(80));
    expect(await citizen('你好', hours(81))).not.toContain('县交通运输局');
    expect((await outboxFor(CITIZEN)).filter((t) => t.includes('县交通运输局'))).toHaveLength(1);

    // The last outcome told, the raw id is forgotten.
    const result = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'forward_result', text: '已增开两班公交。' },
      actorId: 'wangwu',
      now: hours(82),
    });
    if (!result.ok) throw new Error(result.reason);
    await db.commit(result.changes);
    expect(await sentimentStore(db).get(report!.id)).toMatchObject({ state: 'handled', replyTo: null });
    expect((await outboxFor(CITIZEN)).filter((t) => t.includes('已增开两班公交'))).toHaveLength(1);
  });

  it('writing to us again opens the window: an outcome after that goes out at once', async () => {
    await leaveClue(hours(0), '我们村到镇上的公交车每天只有两班，老人看病很不方便。');
    await citizen('留言反映问题', hours(60));
    await citizen('取消', hours(60));
    const [report] = await sentimentStore(db).list({});
    expect(report!.lastSeenAt).toEqual(hours(60));
    const kept = await reviewReport(db, {
      reportId: report!.id,
      request: { action: 'keep' },
      actorId: 'wangwu',
      now: hours(70),
    });
    if (!kept.ok) throw new Error(kept.reason);
    expect(kept.event.tell).toBe('queued');
    await db.commit(kept.changes);
    expect((await outboxFor(CITIZEN)).filter((t) => t.includes('暂未采用'))).toHaveLength(1);
    expect(await sentimentStore(db).get(report!.id)).toMatchObject({ state: 'kept', replyTo: null });
  });

  it('a citizen who just says hello hears both things they can do: the open surveys and 留言反映问题', async () => {
    const help = await citizen('你好', hours(0));
    expect(help).toContain('正在征集意见的问卷');
    expect(help).toContain('2027年民生实事项目征集');
    expect(help).toContain('发送「留言反映问题」');
    expect(help).not.toContain('写提案：');
    // The number from that list starts the survey; 留言反映问题 starts the clue flow.
    expect(await citizen('1', hours(0))).toContain('2027年民生实事项目征集');
    await citizen('取消', hours(0));
    expect(await citizen('留言反映问题', hours(0))).toContain('请写下您想向县政协反映的问题');
  });

  it('a citizen asking for the member flow gets theirs; a member asking for the citizen one gets the member flow', async () => {
    // A citizen's own words for wanting to raise something start 留言反映问题 (they need not know its keyword).
    expect(await citizen('反映社情民意', hours(0))).toContain('请写下您想向县政协反映的问题');
    inboxId += 1;
    // 留言反映问题 is a citizens' flow (audience public): a member's words reach the members' 社情民意 flow instead.
    expect(
      await sayAs(db, member, { userId: 'zhangsan', text: '留言反映问题', now: hours(0), inboxId }),
    ).toContain('社情民意信息');
  });
});
