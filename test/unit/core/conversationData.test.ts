import { WECOM_APP } from '../../../src/core/actor.js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { converse, type ConverseDeps } from '../../../src/core/converse.js';
import {
  readConversation,
  readDraft,
  STORED_VERSION,
  writeConversation,
  writeDraft,
  type ConversationData,
} from '../../../src/core/conversationData.js';
import { createFlowRegistry } from '../../../src/core/flowRegistry.js';
import type { Change, Database } from '../../../src/core/ports.js';
import { FlowStateSchema } from '../../../src/flows/index.js';
import { createSqliteDatabase } from '../../../src/store/sqlite/sqliteDatabase.js';
import { MEMBERS } from '../../fixtures/members.js';

const VISIT_YAML = `schemaVersion: 1
id: visit
version: 1
title: 走访登记
triggers: { keywords: [走访] }
fields:
  title: { label: 标题 }
  place: { label: 地点 }
start: ask_title
steps:
  - { id: ask_title, type: ask, field: title, prompt: 请输入标题 }
  - { id: ask_place, type: ask, field: place, prompt: 请输入地点 }
  - { id: done, type: end, text: "已登记：{{title}}" }
`;

/** The definition as the flow registry parsed it from VISIT_YAML, as rows embed it. */
const VISIT_DEF = {
  schemaVersion: 1,
  id: 'visit',
  version: 1,
  title: '走访登记',
  triggers: { keywords: ['走访'] },
  fields: { title: { label: '标题' }, place: { label: '地点' } },
  start: 'ask_title',
  steps: [
    { type: 'ask', id: 'ask_title', field: 'title', prompt: '请输入标题' },
    { type: 'ask', id: 'ask_place', field: 'place', prompt: '请输入地点' },
    { type: 'end', id: 'done', text: '已登记：{{title}}' },
  ],
};

const STATE_AT_PLACE = {
  flowId: 'visit',
  version: 1,
  hash: 'fnv1a64:d040e22d7089bbcb',
  stepId: 'ask_place',
  status: 'active',
  answers: { title: '城东社区走访' },
  defaults: {},
  retries: {},
  history: ['ask_title'],
  returnTo: null,
  waiting: null,
  candidates: null,
  seq: 0,
  startedAt: 1793581200000,
  updatedAt: 1793581200000,
};

/**
 * Rows exactly as the release before versioning saved them (captured from its converse after 走访 → a title, and
 * after 取消 for the draft): no `v` field.
 */
const UNVERSIONED_CONVERSATION = {
  mode: 'flow',
  state: STATE_AT_PLACE,
  def: VISIT_DEF,
  draftId: null,
  context: {},
};
const UNVERSIONED_DRAFT = { state: STATE_AT_PLACE, def: VISIT_DEF };
const UNVERSIONED_PICK = { mode: 'pickDraft', flowId: 'visit', draftIds: ['d-1'] };

const NOW = new Date('2026-11-02T01:10:00Z');
let db: Database;
let deps: ConverseDeps;
let inboxId = 0;

beforeEach(async () => {
  db = createSqliteDatabase(':memory:');
  await db.members.upsertMany(MEMBERS);
  deps = {
    db,
    flows: createFlowRegistry([{ file: 'visit.yaml', text: VISIT_YAML }]),
    runEffect: () => Promise.reject(new Error('the visit flow has no effects')),
    logger: pino({ level: 'silent' }),
    idleMs: 30 * 60_000,
    draftFlows: ['visit'],
  };
});
afterEach(async () => {
  await db.close();
});

/** One turn of zhangsan's, committed; returns the texts queued for him. */
async function say(text: string): Promise<string> {
  inboxId += 1;
  const member = MEMBERS.find((m) => m.userId === 'zhangsan')!;
  const actor = { channel: WECOM_APP, id: member.userId, member };
  const changes = await converse(deps, { actor, input: { type: 'text', text }, inboxId, now: NOW });
  await db.commit(changes);
  return changes
    .flatMap((c) =>
      c.type === 'outbox.add' && c.message.message.msgtype === 'text' ? [c.message.message] : [],
    )
    .map((m) => m.text.content)
    .join('\n');
}

function seed(...changes: Change[]): Promise<void> {
  return db.commit(changes);
}

describe('rows saved before versioning', () => {
  it('a conversation reads as version 1 and the member carries on where he stopped', async () => {
    expect(readConversation(UNVERSIONED_CONVERSATION)).toEqual(UNVERSIONED_CONVERSATION);
    await seed({ type: 'conversation.save', userId: 'zhangsan', data: UNVERSIONED_CONVERSATION, at: NOW });
    expect(await say('城东社区')).toBe('已登记：城东社区走访');
    expect(await db.conversations.get('zhangsan')).toBeNull();
  });

  it('a draft and a draft choice read as version 1, and 继续 resumes the draft', async () => {
    expect(readDraft(UNVERSIONED_DRAFT)).toEqual(UNVERSIONED_DRAFT);
    expect(readConversation(UNVERSIONED_PICK)).toEqual(UNVERSIONED_PICK);
    await seed(
      { type: 'conversation.save', userId: 'zhangsan', data: UNVERSIONED_PICK, at: NOW },
      {
        type: 'draft.save',
        at: NOW,
        draft: {
          id: 'd-1',
          userId: 'zhangsan',
          flowId: 'visit',
          title: '城东社区走访',
          data: UNVERSIONED_DRAFT,
        },
      },
    );
    expect(await say('继续')).toContain('请输入地点');
    expect(await say('城东社区')).toBe('已登记：城东社区走访');
    expect(await db.drafts.listForUser('zhangsan')).toEqual([]);
  });

  it('a flow row without draftId or context (older still) reads with none', () => {
    const { draftId: _d, context: _c, ...older } = UNVERSIONED_CONVERSATION;
    expect(readConversation(older)).toEqual(UNVERSIONED_CONVERSATION);
  });

  it('what is saved now carries the current version', async () => {
    await say('走访');
    expect((await db.conversations.get('zhangsan'))?.data).toMatchObject({ v: STORED_VERSION, mode: 'flow' });
    await say('城东社区走访');
    await say('取消');
    const [draft] = await db.drafts.listForUser('zhangsan');
    expect(draft?.data).toMatchObject({ v: STORED_VERSION, state: { stepId: 'ask_place' } });
  });
});

describe('current version', () => {
  const flow: ConversationData = {
    mode: 'flow',
    state: FlowStateSchema.parse(STATE_AT_PLACE),
    def: VISIT_DEF,
    draftId: 'd-1',
    context: { noticeId: '7' },
  };

  it('round-trips through JSON, without the version in memory', () => {
    const row: unknown = JSON.parse(JSON.stringify(writeConversation(flow)));
    expect(row).toMatchObject({ v: STORED_VERSION });
    expect(readConversation(row)).toEqual(flow);
    const pick: ConversationData = { mode: 'pickDraft', flowId: 'visit', draftIds: ['a', 'b'] };
    expect(readConversation(JSON.parse(JSON.stringify(writeConversation(pick))))).toEqual(pick);
    const draft = { state: STATE_AT_PLACE, def: VISIT_DEF };
    expect(readDraft(JSON.parse(JSON.stringify(writeDraft(readDraft(draft)!))))).toEqual(draft);
  });

  it('a current row that does not parse is not read leniently as an older one', () => {
    const row = { ...writeConversation(flow), draftId: 12 };
    expect(readConversation(row)).toBeNull();
  });
});

describe('broken rows read as null, never throw', () => {
  const broken: [string, unknown][] = [
    ['null', null],
    ['a string', 'flow'],
    ['an array', [UNVERSIONED_CONVERSATION]],
    ['an unknown mode', { ...UNVERSIONED_CONVERSATION, mode: 'chat' }],
    [
      'a state without stepId',
      { ...UNVERSIONED_CONVERSATION, state: { ...STATE_AT_PLACE, stepId: undefined } },
    ],
    ['an unknown status', { ...UNVERSIONED_CONVERSATION, state: { ...STATE_AT_PLACE, status: 'paused' } }],
    [
      'an answer of a wrong type',
      { ...UNVERSIONED_CONVERSATION, state: { ...STATE_AT_PLACE, answers: { t: {} } } },
    ],
    [
      'history not a list',
      { ...UNVERSIONED_CONVERSATION, state: { ...STATE_AT_PLACE, history: 'ask_title' } },
    ],
    ['a pick without draft ids', { mode: 'pickDraft', flowId: 'visit' }],
    ['a later version', { ...writeConversation(readConversation(UNVERSIONED_CONVERSATION)!), v: 3 }],
  ];
  it.each(broken)('%s', (_what, row) => {
    expect(readConversation(row)).toBeNull();
  });

  it('a broken draft', () => {
    expect(readDraft({ state: { ...STATE_AT_PLACE, seq: 'one' }, def: VISIT_DEF })).toBeNull();
    expect(readDraft(undefined)).toBeNull();
  });

  it('a broken conversation row: the member starts afresh', async () => {
    await seed({ type: 'conversation.save', userId: 'zhangsan', data: { mode: 'flow', state: {} }, at: NOW });
    expect(await say('走访')).toContain('请输入标题');
  });
});
