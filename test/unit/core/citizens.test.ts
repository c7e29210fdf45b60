import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createWecomKfChannel } from '../../../src/channels/wecomKf/index.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { InboundInput, InboundRoute } from '../../../src/core/feature.js';
import { createInboundHandler } from '../../../src/core/handleInbound.js';
import type { Change, Database, OutboundMessage } from '../../../src/core/ports.js';
import { createEffectRunner } from '../../../src/core/runEffect.js';
import { readFlowFiles } from '../../../src/store/flowFiles.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testRegistry, testSqlite } from '../../support/testDatabase.js';

/** Citizens on 微信客服 through the real handler, routes and flow files: their own audience, not members'. */

const logger = pino({ level: 'silent' });
const now = new Date('2026-12-01T02:00:00Z');
let db: Database;
let inboxId = 0;
const seen: InboundInput[] = [];

const surveyLikeRoute: InboundRoute = {
  name: 'test-citizens',
  phrases: [],
  audience: 'citizens',
  async handle(input) {
    seen.push(input);
    if (input.type !== 'sessionStart' || input.scene !== 'poll') return null;
    return { changes: [], replies: ['欢迎参加民意小调查'], startFlow: { flowId: 'town_poll', context: {} } };
  },
};

async function handler(extraRoutes: InboundRoute[] = []) {
  const flows = createFlowRegistry([
    ...(await readFlowFiles('flows')),
    ...(await readFlowFiles('test/fixtures/publicFlows')),
  ]);
  const channel = createWecomKfChannel({
    api: null,
    db,
    kv: createMemoryKeyValueStore(),
    crypto: { corpId: 'corp', encodingAesKey: 'a'.repeat(43) },
    logger,
  });
  const handle = createInboundHandler({
    db,
    flows,
    routes: [...extraRoutes, ...testRegistry.routes],
    runEffect: createEffectRunner({ effects: testRegistry.effects, db, logger }),
    logger,
    idleMs: 30 * 60_000,
    draftFlows: testRegistry.draftFlows,
    officeContact: '县政协办公室',
    faq: [],
  });
  return async (actorId: string, input: InboundInput): Promise<OutboundMessage[]> => {
    inboxId += 1;
    const changes: Change[] = await handle({ channel, actorId, openKfid: 'wk1', input }, { inboxId, now });
    await db.commit(changes);
    return changes.flatMap((c) => (c.type === 'outbox.add' ? [c.message.message] : []));
  };
}

const texts = (ms: OutboundMessage[]): string =>
  ms.map((m) => (m.msgtype === 'text' ? m.text.content : '')).join('\n');

beforeEach(async () => {
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
  seen.length = 0;
});
afterEach(async () => {
  await db.close();
});

describe('citizens on 微信客服', () => {
  it('are told politely what they can do here when they ask for a member service', async () => {
    const say = await handler();
    for (const text of ['我想写提案', '写提案', '参加', '同意联名 12', '帮助']) {
      const reply = texts(await say('wm-citizen', { type: 'text', text }));
      expect(reply).toContain('仅面向政协委员');
      expect(reply).not.toContain('标题');
    }
    expect(await db.conversations.get('wecom-kf:wm-citizen')).toBeNull();
  });

  it('a member’s userid typed as a citizen id is still a citizen (no directory lookup)', async () => {
    const say = await handler();
    expect(texts(await say(MEMBERS[0]!.userId, { type: 'text', text: '写提案' }))).toContain(
      '仅面向政协委员',
    );
  });

  it('get a short help text on a session start without a scene', async () => {
    const say = await handler();
    expect(texts(await say('wm-c2', { type: 'sessionStart', scene: null, welcomeCode: 'wc' }))).toContain(
      '民意征集',
    );
  });

  it('routes for citizens get the session start with its scene; a choice question goes out with its menu', async () => {
    const say = await handler([surveyLikeRoute]);
    const out = await say('wm-c3', { type: 'sessionStart', scene: 'poll', welcomeCode: 'wc1' });
    expect(seen).toContainEqual({ type: 'sessionStart', scene: 'poll', welcomeCode: 'wc1' });
    const question = out[out.length - 1];
    expect(question).toMatchObject({
      msgtype: 'text',
      menu: {
        head: expect.stringContaining('您最关心哪一项？'),
        options: [
          { id: 'edu', label: '教育' },
          { id: 'elder', label: '养老' },
        ],
        tail: '',
      },
    });
    // A tap on the menu comes back as its id: the answer to the open question.
    expect(texts(await say('wm-c3', { type: 'text', text: 'elder' }))).toContain('您选择了养老');
  });

  it('may start a public flow by its keyword', async () => {
    const say = await handler();
    expect(texts(await say('wm-c4', { type: 'text', text: '小调查' }))).toContain('您最关心哪一项？');
    expect(texts(await say('wm-c4', { type: 'text', text: '1' }))).toContain('您选择了教育');
  });

  it('member routes are not tried for citizens', async () => {
    const say = await handler([surveyLikeRoute]);
    await say('wm-c5', { type: 'text', text: '请假' });
    expect(seen).toEqual([{ type: 'text', text: '请假' }]);
  });
});
