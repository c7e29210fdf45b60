/** The inbound handler as main.ts builds it (real registry, routes and effects), fed parsed WeCom messages. */
import { pino } from 'pino';
import { createWecomAppChannel } from '../../src/channels/wecomApp/index.js';
import { toInboundInput } from '../../src/channels/wecomApp/decodeWecomApp.js';
import type { FlowRegistry } from '../../src/core/flowRegistry.js';
import type { Channel } from '../../src/core/channel.js';
import {
  createInboundHandler,
  type InboundContext,
  type InboundHandler,
} from '../../src/core/handleInbound.js';
import type { Registry } from '../../src/core/registry.js';
import type { Change, Database } from '../../src/core/ports.js';
import { createEffectRunner } from '../../src/core/runEffect.js';
import { createMemoryKeyValueStore } from '../../src/store/memory/memoryKeyValueStore.js';
import type { InboundMessage } from '../../src/wecom/inbound.js';
import { testRegistry } from './testDatabase.js';
import { draftSeedLookup, pendingLookup } from '../../src/core/helpAnswer.js';
import type { FaqEntry } from '../../src/nlu/index.js';

export type TestHandler = (msg: InboundMessage, ctx: InboundContext) => Promise<Change[]>;

export const testChannel = createWecomAppChannel({
  api: null,
  kv: createMemoryKeyValueStore(),
  credentials: { corpId: 'corp', encodingAesKey: 'a'.repeat(43) },
  logger: pino({ level: 'silent' }),
});

/**
 * The 微信客服 channel as the pipeline sees it (id and stranger policy): citizens' inputs are handed to the handler
 * already decoded, so decoding and delivery are never called here.
 */
export const citizenTestChannel: Channel = {
  id: 'wecom-kf',
  strangers: 'welcome',
  decode() {
    throw new Error('citizenTestChannel: inputs are passed decoded');
  },
  deliver() {
    throw new Error('citizenTestChannel: nothing is delivered in-process');
  },
};

/** The inbound handler itself (any channel, inputs already decoded), with the real registry unless one is given. */
export function inboundHandler(
  db: Database,
  flows: FlowRegistry,
  options: {
    idleMs?: number;
    draftFlows?: readonly string[];
    faq?: readonly FaqEntry[];
    registry?: Registry;
  } = {},
): InboundHandler {
  const logger = pino({ level: 'silent' });
  const registry = options.registry ?? testRegistry;
  return createInboundHandler({
    db,
    flows,
    routes: registry.routes,
    runEffect: createEffectRunner({ effects: registry.effects, db, logger }),
    logger,
    idleMs: options.idleMs ?? 30 * 60_000,
    draftFlows: options.draftFlows ?? registry.draftFlows,
    officeContact: '县政协办公室',
    faq: options.faq ?? [],
    pending: pendingLookup(registry.features, db),
  });
}

export function testHandler(
  db: Database,
  flows: FlowRegistry,
  options: { idleMs?: number; draftFlows?: readonly string[]; faq?: readonly FaqEntry[] } = {},
): TestHandler {
  const logger = pino({ level: 'silent' });
  const handle = createInboundHandler({
    db,
    flows,
    routes: testRegistry.routes,
    runEffect: createEffectRunner({ effects: testRegistry.effects, db, logger }),
    logger,
    idleMs: options.idleMs ?? 30 * 60_000,
    draftFlows: options.draftFlows ?? testRegistry.draftFlows,
    officeContact: '县政协办公室',
    faq: options.faq ?? [],
    pending: pendingLookup(testRegistry.features, db),
    draftSeeds: draftSeedLookup(testRegistry.features, db),
  });
  return (msg, ctx) =>
    handle({ channel: testChannel, actorId: msg.fromUserName, input: toInboundInput(msg) }, ctx);
}

/** The texts a turn queued for `userId`, joined by newlines. */
export function queuedTexts(changes: readonly Change[], userId: string): string {
  return changes
    .flatMap((c) => (c.type === 'outbox.add' && c.message.toUser === userId ? [c.message.message] : []))
    .map((m) => (m.msgtype === 'text' ? m.text.content : ''))
    .join('\n');
}

/** Sends `text` as `userId`, commits the turn as the worker does, and returns the texts queued for them. */
export async function sayAs(
  db: Database,
  handle: TestHandler,
  turn: { userId: string; text: string; now: Date; inboxId: number },
): Promise<string> {
  const msg: InboundMessage = {
    type: 'text',
    fromUserName: turn.userId,
    toUserName: 'corp',
    createTime: String(Math.floor(turn.now.getTime() / 1000)),
    msgId: String(turn.inboxId),
    content: turn.text,
    agentId: '1',
  };
  const changes = await handle(msg, { inboxId: turn.inboxId, now: turn.now });
  await db.commit(changes);
  return queuedTexts(changes, turn.userId);
}
