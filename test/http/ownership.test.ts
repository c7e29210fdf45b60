import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';
import {
  BACKENDS,
  contentOf,
  nextMsgId,
  settle,
  startHarness,
  type Harness,
} from '../integration/harness.js';
import { ACTORS, MATRIX, PER_PROPOSAL, ROLE_COMMANDS, type ActorKey } from './ownershipMatrix.js';

/**
 * §5.6 / B59: the ownership matrix (ownershipMatrix.ts) against a running server: each actor sends each command about
 * a proposal A owns and B co-signs, and about a number that does not exist; a denial is indistinguishable from
 * "not found" and names nothing of the proposal.
 */

// Many chat turns per test: on a loaded shared machine they can pass the default 30 s without anything being wrong.
vi.setConfig({ testTimeout: 120_000 });

const person = (userId: string, name: string, role: Member['role'], unit?: string): Member => ({
  userId,
  name,
  role,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
  ...(unit ? { unit } : {}),
});

// A = zhangsan, B = lisi, staff = wangwu come from the harness directory.
const USERS: Record<ActorKey, string> = {
  A: 'zhangsan',
  B: 'lisi',
  C: 'zhaoliu',
  staff: 'wangwu',
  unit: 'civil',
  citizen: 'stranger-77',
};
const TITLE = '关于矩阵核对专用标题的建议';
const MISSING = 987;

async function say(h: Harness, from: string, text: string): Promise<string> {
  const before = h.fake.deliveriesTo(from).length;
  expect((await h.postText(from, text, nextMsgId())).status).toBe(200);
  await settle(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d))
    .join('\n');
}

describe.each(BACKENDS)('ownership matrix ($name)', (backend) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness(backend);
    await h.db.members.upsertMany([
      person('zhaoliu', '赵六', 'member'),
      person('civil', '民政局联络员', 'unit', '县民政局'),
    ]);
    const year = new Date().getFullYear();
    n = 1;
    await h.db.commit([
      {
        type: 'proposal.submit',
        proposal: {
          submitKey: `matrix-${Date.now()}`,
          year,
          seq: n,
          number: `〔${year}〕第001号`,
          ownerId: USERS.A,
          title: TITLE,
          category: '社会建设',
          subcategory: null,
          reason: '情况分析',
          suggestions: '具体建议',
          handlingUnits: ['县民政局'],
          isPublic: false,
          privateReason: '矩阵不公开理由',
        },
        cosignerIds: [USERS.B],
        at: new Date(),
      },
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(Object.keys(ACTORS) as ActorKey[])('%s: every command as the matrix says', async (actor) => {
    const user = USERS[actor];
    const generic = await say(h, user, '咕噜咕噜嘿');
    for (const [command, template] of Object.entries(PER_PROPOSAL) as [keyof typeof PER_PROPOSAL, string][]) {
      const theirs = await say(h, user, template.replace('{n}', String(n)));
      await say(h, user, '退出');
      const missing = await say(h, user, template.replace('{n}', String(MISSING)));
      await say(h, user, '退出');
      if (MATRIX[actor][command] === 'shows') {
        expect(theirs, `${actor} ${command}`).toContain(TITLE);
      } else {
        expect(theirs, `${actor} ${command}`).toBe(missing);
        // A and B may see their own proposal anywhere (B's pending invitation is listed with every answer).
        if (actor !== 'A' && actor !== 'B') expect(theirs, `${actor} ${command}`).not.toContain(TITLE);
        expect(theirs, `${actor} ${command}`).not.toContain('矩阵不公开理由');
      }
    }
    for (const [command, text] of Object.entries(ROLE_COMMANDS) as [keyof typeof ROLE_COMMANDS, string][]) {
      const reply = await say(h, user, text);
      await say(h, user, '取消');
      if (MATRIX[actor][command] === 'works') expect(reply, `${actor} ${command}`).not.toBe(generic);
      else expect(reply, `${actor} ${command}`).toBe(generic);
    }
    // Nothing of the proposal changed, whoever asked (A's 撤回 was left with 退出).
    const [p] = await proposalStore(h.db).listForMember(USERS.A);
    expect([p?.status, p?.title]).toEqual(['submitted', TITLE]);
  });
});
