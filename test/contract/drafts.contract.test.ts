import { describe, expect, it } from 'vitest';
import type { Change, Draft } from '../../src/core/ports.js';
import { databaseBackends, useDatabase } from './backends.js';

const at = (minute: number): Date => new Date(Date.UTC(2030, 0, 1, 8, minute, 0, 250));

const draft = (id: string, over: Partial<Omit<Draft, 'createdAt' | 'updatedAt'>> = {}): Change => ({
  type: 'draft.save',
  draft: {
    id,
    userId: 'zhang',
    flowId: 'proposal',
    title: null,
    data: { step: 'reason', answers: { reason: '情况分析……😀' } },
    ...over,
  },
  at: at(0),
});

const saveAt = (change: Change, minute: number): Change => ({ ...change, at: at(minute) }) as Change;

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`DraftStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('returns null / an empty list when there is nothing', async () => {
      expect(await ctx.db.drafts.get('d-none')).toBeNull();
      expect(await ctx.db.drafts.listForUser('zhang')).toEqual([]);
    });

    it('inserts a draft with createdAt = updatedAt = the commit time', async () => {
      await ctx.db.commit([draft('d1', { title: '关于乡村振兴的建议🌾' })]);
      expect(await ctx.db.drafts.get('d1')).toEqual({
        id: 'd1',
        userId: 'zhang',
        flowId: 'proposal',
        title: '关于乡村振兴的建议🌾',
        data: { step: 'reason', answers: { reason: '情况分析……😀' } },
        createdAt: at(0),
        updatedAt: at(0),
      });
    });

    it('upserts by id: the update keeps createdAt and replaces the rest', async () => {
      await ctx.db.commit([draft('d1')]);
      const data = { step: 'units', answers: { units: ['交通局'] }, n: null };
      await ctx.db.commit([saveAt(draft('d1', { title: '新标题', data, flowId: 'proposal.v2' }), 7)]);
      expect(await ctx.db.drafts.get('d1')).toEqual({
        id: 'd1',
        userId: 'zhang',
        flowId: 'proposal.v2',
        title: '新标题',
        data,
        createdAt: at(0),
        updatedAt: at(7),
      });
      // Back to no title.
      await ctx.db.commit([saveAt(draft('d1', { title: null }), 8)]);
      expect((await ctx.db.drafts.get('d1'))?.title).toBeNull();
    });

    it("lists only the user's drafts, most recently updated first", async () => {
      await ctx.db.commit([
        saveAt(draft('d1'), 1),
        saveAt(draft('d2'), 2),
        saveAt(draft('d3'), 3),
        saveAt(draft('other', { userId: 'li' }), 4),
      ]);
      await ctx.db.commit([saveAt(draft('d1', { title: '改过' }), 5)]);
      expect((await ctx.db.drafts.listForUser('zhang')).map((d) => d.id)).toEqual(['d1', 'd3', 'd2']);
      expect((await ctx.db.drafts.listForUser('li')).map((d) => d.id)).toEqual(['other']);
    });

    it('deletes; deleting a missing draft is a no-op', async () => {
      await ctx.db.commit([draft('d1'), draft('d2')]);
      await ctx.db.commit([
        { type: 'draft.delete', id: 'd1' },
        { type: 'draft.delete', id: 'missing' },
      ]);
      expect(await ctx.db.drafts.get('d1')).toBeNull();
      expect((await ctx.db.drafts.listForUser('zhang')).map((d) => d.id)).toEqual(['d2']);
    });

    it('rolls the draft back with the rest of a failing commit', async () => {
      const bad = { ...draft('d2'), draft: { ...(draft('d2') as { draft: object }).draft, userId: null } };
      await expect(ctx.db.commit([draft('d1'), bad as unknown as Change])).rejects.toThrow();
      expect(await ctx.db.drafts.get('d1')).toBeNull();
    });
  });
}
