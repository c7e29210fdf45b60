import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import { databaseBackends, useDatabase } from './backends.js';

const member = (userId: string, over: Partial<Member> = {}): Member => ({
  userId,
  name: `委员${userId}`,
  role: 'member',
  sector: '经济界',
  committee: null,
  mobile: null,
  active: true,
  ...over,
});

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`MemberStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('inserts, then updates, reporting the counts', async () => {
      expect(await ctx.db.members.upsertMany([member('zhang'), member('li'), member('wang')])).toEqual({
        inserted: 3,
        updated: 0,
      });
      const changed = member('li', {
        name: '李四😀',
        role: 'staff',
        sector: null,
        committee: '提案委员会',
        mobile: '13800000000',
        active: false,
      });
      expect(await ctx.db.members.upsertMany([changed, member('zhao')])).toEqual({ inserted: 1, updated: 1 });
      expect(await ctx.db.members.get('li')).toEqual(changed);
      expect(await ctx.db.members.get('nobody')).toBeNull();
      expect(await ctx.db.members.count()).toBe(4);
      expect((await ctx.db.members.list()).map((m) => m.userId)).toEqual(['li', 'wang', 'zhang', 'zhao']);
    });

    it('accepts an empty import', async () => {
      expect(await ctx.db.members.upsertMany([])).toEqual({ inserted: 0, updated: 0 });
      expect(await ctx.db.members.count()).toBe(0);
      expect(await ctx.db.members.list()).toEqual([]);
    });

    it('counts a user repeated in one import once as inserted, then as updated; the last row wins', async () => {
      expect(
        await ctx.db.members.upsertMany([member('a', { name: 'first' }), member('a', { name: 'second' })]),
      ).toEqual({ inserted: 1, updated: 1 });
      expect((await ctx.db.members.get('a'))?.name).toBe('second');
    });

    it('is all or nothing: one bad row leaves every member as it was', async () => {
      await ctx.db.members.upsertMany([member('keep', { name: '原名' })]);
      // A missing name violates NOT NULL on both dialects (the cast fakes a bad import row).
      const bad = { ...member('bad'), name: null } as unknown as Member;
      await expect(
        ctx.db.members.upsertMany([member('new1'), member('keep', { name: '新名' }), bad]),
      ).rejects.toThrow();
      expect(await ctx.db.members.count()).toBe(1);
      expect((await ctx.db.members.get('keep'))?.name).toBe('原名');
      expect(await ctx.db.members.get('new1')).toBeNull();
    });

    it('handles an import larger than one statement chunk', async () => {
      const many = Array.from({ length: 1203 }, (_, i) => member(`u${String(i).padStart(5, '0')}`));
      expect(await ctx.db.members.upsertMany(many)).toEqual({ inserted: 1203, updated: 0 });
      expect(await ctx.db.members.upsertMany(many)).toEqual({ inserted: 0, updated: 1203 });
      expect(await ctx.db.members.count()).toBe(1203);
    });
  });
}
