import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, contentOf, nextMsgId, settle, startHarness, type Harness } from './harness.js';
import type { NewProposal } from '../../src/features/proposals/ports.js';

/**
 * Issue 8 end to end: a member asks about a proposal in their own words (no keyword, a title word in the
 * sentence) and gets that proposal's state, through real encrypted callbacks and the (fake) WeCom API.
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

const proposal = (seq: number, title: string): NewProposal => ({
  submitKey: `understanding-${seq}`,
  year: 2026,
  seq,
  number: `〔2026〕第00${seq}号`,
  ownerId: 'zhangsan',
  title,
  category: '社会建设',
  subcategory: null,
  reason: '情况分析：……',
  suggestions: '一、……',
  handlingUnits: [],
  isPublic: true,
  privateReason: null,
});

describe.each(BACKENDS)('understanding in one’s own words end to end ($name)', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(backend);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('「我那个养老的提案到哪一步了」 shows the state of the proposal about 养老', async () => {
    const at = new Date();
    await h.db.commit([
      {
        type: 'proposal.submit',
        proposal: proposal(1, '关于发展社区居家养老服务的建议'),
        cosignerIds: [],
        at,
      },
      { type: 'proposal.submit', proposal: proposal(2, '关于改善城区交通秩序的建议'), cosignerIds: [], at },
    ]);
    const answer = await say(h, 'zhangsan', '我那个养老的提案到哪一步了');
    expect(answer).toContain('〔2026〕第001号《关于发展社区居家养老服务的建议》\n当前状态：已提交');
    expect(answer).not.toContain('〔2026〕第002号《关于改善城区交通秩序的建议》\n当前状态');
  });
});
