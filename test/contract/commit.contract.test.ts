import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/ports.js';
import { databaseBackends, useDatabase } from './backends.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`Database.commit contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    async function pendingItemId(): Promise<number> {
      await ctx.db.inbox.add({
        dedupKey: 'in-1',
        userId: 'u1',
        kind: 'text',
        encrypted: 'x',
        receivedAt: T0,
      });
      const item = await ctx.db.inbox.nextForUser('u1');
      return item!.id;
    }

    it('applies the inbox state change and the replies together', async () => {
      const id = await pendingItemId();
      await ctx.db.commit([
        { type: 'inbox.done', id, at: T0 },
        {
          type: 'outbox.add',
          message: {
            dedupKey: 'r1',
            toUser: 'u1',
            message: { msgtype: 'text', text: { content: '收到😀' } },
          },
          at: T0,
        },
        {
          type: 'outbox.add',
          message: {
            dedupKey: 'r2',
            toUser: 'u1',
            message: { msgtype: 'markdown', markdown: { content: '**好**' } },
          },
          at: T0,
        },
      ]);
      expect((await ctx.reads.inboxItem(id))?.status).toBe('done');
      expect((await ctx.db.outbox.listForUser('u1', 0, 10)).map((i) => i.dedupKey)).toEqual(['r1', 'r2']);
    });

    it('inbox.dead records the reason', async () => {
      const id = await pendingItemId();
      await ctx.db.commit([{ type: 'inbox.dead', id, reason: 'flow crashed', at: T0 }]);
      expect(await ctx.reads.inboxItem(id)).toMatchObject({ status: 'dead', lastError: 'flow crashed' });
    });

    it('accepts an empty commit', async () => {
      await expect(ctx.db.commit([])).resolves.toBeUndefined();
    });

    it('leaves nothing behind when a later change fails', async () => {
      const id = await pendingItemId();
      const failing: Change[] = [
        { type: 'inbox.done', id, at: T0 },
        {
          type: 'outbox.add',
          message: { dedupKey: 'ok', toUser: 'u1', message: { msgtype: 'text', text: { content: 'a' } } },
          at: T0,
        },
        // toUser is NOT NULL on both dialects: the third change fails inside the transaction.
        {
          type: 'outbox.add',
          message: {
            dedupKey: 'bad',
            toUser: null as unknown as string,
            message: { msgtype: 'text', text: { content: 'b' } },
          },
          at: T0,
        },
      ];
      await expect(ctx.db.commit(failing)).rejects.toThrow();
      expect((await ctx.reads.inboxItem(id))?.status).toBe('pending');
      expect(await ctx.db.outbox.countByStatus()).toEqual({ pending: 0, sent: 0, failed: 0 });
    });

    it('rejects an unknown change type and applies none of the others', async () => {
      const id = await pendingItemId();
      const unknown = { type: 'inbox.archive', id } as unknown as Change;
      await expect(ctx.db.commit([{ type: 'inbox.done', id, at: T0 }, unknown])).rejects.toThrow(
        /no applier for change/,
      );
      expect((await ctx.reads.inboxItem(id))?.status).toBe('pending');
    });
  });
}
