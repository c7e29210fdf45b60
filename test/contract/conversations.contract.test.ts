import { describe, expect, it } from 'vitest';
import { databaseBackends, useDatabase } from './backends.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const T1 = new Date('2030-01-01T00:05:00.123Z');

const state = {
  flow: 'proposal.new',
  step: 'title',
  answers: { title: '关于加强农村饮水安全的建议😀', units: ['水利局', '卫健委'], public: true, count: 3 },
  pinned: null,
};

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`ConversationStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('returns null for a user without a conversation', async () => {
      expect(await ctx.db.conversations.get('nobody')).toBeNull();
    });

    it('saves, then replaces, the conversation (data round-trips as JSON)', async () => {
      await ctx.db.commit([{ type: 'conversation.save', userId: 'zhang', data: state, at: T0 }]);
      expect(await ctx.db.conversations.get('zhang')).toEqual({
        userId: 'zhang',
        data: state,
        updatedAt: T0,
      });

      const next = { ...state, step: 'confirm', answers: { ...state.answers, note: '“引号”\n换行\\反斜杠' } };
      await ctx.db.commit([{ type: 'conversation.save', userId: 'zhang', data: next, at: T1 }]);
      expect(await ctx.db.conversations.get('zhang')).toEqual({ userId: 'zhang', data: next, updatedAt: T1 });
    });

    it('round-trips any JSON value, including a JSON null', async () => {
      const values: unknown[] = [null, 0, 1.5, '文本🎉', true, [], [1, '二', { three: 3 }], {}];
      for (const [i, data] of values.entries()) {
        await ctx.db.commit([{ type: 'conversation.save', userId: `u${i}`, data, at: T0 }]);
      }
      for (const [i, data] of values.entries()) {
        expect((await ctx.db.conversations.get(`u${i}`))?.data).toEqual(data);
      }
    });

    it('refuses a value JSON cannot hold and applies nothing of that commit', async () => {
      await expect(
        ctx.db.commit([
          { type: 'conversation.save', userId: 'a', data: { ok: 1 }, at: T0 },
          { type: 'conversation.save', userId: 'b', data: undefined, at: T0 },
        ]),
      ).rejects.toThrow();
      expect(await ctx.db.conversations.get('a')).toBeNull();
    });

    it('deletes; deleting a missing conversation is a no-op', async () => {
      await ctx.db.commit([
        { type: 'conversation.save', userId: 'zhang', data: state, at: T0 },
        { type: 'conversation.save', userId: 'li', data: state, at: T0 },
      ]);
      await ctx.db.commit([
        { type: 'conversation.delete', userId: 'zhang' },
        { type: 'conversation.delete', userId: 'nobody' },
      ]);
      expect(await ctx.db.conversations.get('zhang')).toBeNull();
      expect(await ctx.db.conversations.get('li')).not.toBeNull();
    });

    it('keeps user ids distinct by case and emoji (binary collation)', async () => {
      await ctx.db.commit([
        { type: 'conversation.save', userId: 'ZhangSan', data: 1, at: T0 },
        { type: 'conversation.save', userId: 'zhangsan', data: 2, at: T0 },
        { type: 'conversation.save', userId: 'u😀', data: 3, at: T0 },
        { type: 'conversation.save', userId: 'u😎', data: 4, at: T0 },
      ]);
      expect((await ctx.db.conversations.get('ZhangSan'))?.data).toBe(1);
      expect((await ctx.db.conversations.get('zhangsan'))?.data).toBe(2);
      expect((await ctx.db.conversations.get('u😀'))?.data).toBe(3);
      expect((await ctx.db.conversations.get('u😎'))?.data).toBe(4);
    });
  });
}
