import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/core/ports.js';
import { sentimentFromProposal, sentimentStore } from '../../../src/features/sentiment/index.js';
import { testSqlite } from '../../support/testDatabase.js';

let db: Database;
beforeEach(() => {
  db = testSqlite(':memory:');
});
afterEach(async () => {
  await db.close();
});

const proposal = {
  id: 12,
  number: '〔2026〕第012号',
  ownerId: 'zhangsan',
  title: '关于加强农村饮水安全保障的建议',
  category: '社会建设',
  reason: '部分偏远村组仍依靠山泉水，旱季断水。',
  suggestions: '县水利局实施农村供水管网延伸工程。',
};

describe('转社情民意 (sentimentFromProposal)', () => {
  it('creates one pending report carrying the proposal text, whatever the number of calls', async () => {
    const now = new Date('2026-06-01T02:00:00Z');
    const first = await sentimentFromProposal(db, proposal, now);
    expect(first).toMatchObject({ number: '社情〔2026〕第001号', duplicate: false });
    await db.commit(first.changes);
    await db.commit(first.changes);
    const again = await sentimentFromProposal(db, proposal, now);
    expect(again).toEqual({ number: '社情〔2026〕第001号', duplicate: true, changes: [] });
    const all = await sentimentStore(db).list({});
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      state: 'pending',
      source: 'member',
      reporterId: 'zhangsan',
      proposalId: 12,
      title: '关于加强农村饮水安全保障的情况反映',
      situation: proposal.reason,
      suggestions: proposal.suggestions,
    });
    expect(all[0]!.analysis).toContain('〔2026〕第012号');
  });
});
