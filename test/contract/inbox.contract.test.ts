import { describe, expect, it } from 'vitest';
import type { InboxEnvelope } from '../../src/core/ports.js';
import { databaseBackends, useDatabase } from './backends.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

function envelope(dedupKey: string, userId: string, receivedAt = T0): InboxEnvelope {
  return { dedupKey, userId, kind: 'text', encrypted: `enc-${dedupKey}`, receivedAt };
}

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`InboxStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    it('keeps the channel an envelope names', async () => {
      const receivedAt = new Date('2030-01-01T08:09:10.123Z');
      const envelope = {
        dedupKey: 'kf1',
        channel: 'wecom-kf',
        userId: 'wm1',
        kind: 'text',
        encrypted: 'x',
        receivedAt,
      };
      expect(await ctx.db.inbox.add(envelope)).toBe('stored');
      expect(await ctx.db.inbox.nextForUser('wm1')).toMatchObject({ channel: 'wecom-kf' });
    });

    it('stores an envelope as a pending item due at its arrival', async () => {
      const receivedAt = new Date('2030-01-01T08:09:10.123Z');
      expect(
        await ctx.db.inbox.add({
          dedupKey: 'm1',
          userId: 'u1',
          kind: 'event:click',
          encrypted: 'abc==',
          receivedAt,
        }),
      ).toBe('stored');
      const item = await ctx.db.inbox.nextForUser('u1');
      expect(item).toEqual({
        id: expect.any(Number),
        dedupKey: 'm1',
        // No channel named: the WeCom app (the column's default, as for rows stored before channels).
        channel: 'wecom-app',
        userId: 'u1',
        kind: 'event:click',
        encrypted: 'abc==',
        receivedAt,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: receivedAt,
        lastError: null,
      });
      expect(await ctx.reads.inboxItem(item!.id)).toEqual(item);
      expect(await ctx.reads.inboxItem(999_999)).toBeNull();
    });

    it('returns duplicate for an existing dedupKey and keeps the first', async () => {
      expect(await ctx.db.inbox.add(envelope('dup', 'u1'))).toBe('stored');
      expect(await ctx.db.inbox.add({ ...envelope('dup', 'u2'), encrypted: 'other' })).toBe('duplicate');
      expect(await ctx.db.inbox.countByStatus()).toEqual({ pending: 1, done: 0, dead: 0 });
      expect((await ctx.db.inbox.nextForUser('u1'))?.encrypted).toBe('enc-dup');
      expect(await ctx.db.inbox.nextForUser('u2')).toBeNull();
    });

    it('stores exactly one of 10 concurrent adds with the same dedupKey', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => ctx.db.inbox.add(envelope('race', 'u1'))),
      );
      expect(results.filter((r) => r === 'stored')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(9);
      expect((await ctx.db.inbox.countByStatus()).pending).toBe(1);
    });

    it('answers stored to each of 20 distinct adds arriving together (one batch), duplicate to each again', async () => {
      // A batch insert that ran twice (a lazy query builder awaited twice) made every callback of a burst look
      // like a duplicate: stored, but not reported as new, so the worker was never woken for it.
      const keys = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
      const first = await Promise.all(keys.map((k, i) => ctx.db.inbox.add(envelope(k, `u${i % 3}`))));
      expect(first).toEqual(keys.map(() => 'stored'));
      const again = await Promise.all(keys.map((k, i) => ctx.db.inbox.add(envelope(k, `u${i % 3}`))));
      expect(again).toEqual(keys.map(() => 'duplicate'));
      const mixed = await Promise.all(
        ['burst-0', 'fresh-1', 'burst-1', 'fresh-2'].map((k) => ctx.db.inbox.add(envelope(k, 'u9'))),
      );
      expect(mixed).toEqual(['duplicate', 'stored', 'duplicate', 'stored']);
      expect((await ctx.db.inbox.countByStatus()).pending).toBe(22);
    });

    it('round-trips emoji, long MsgId-like keys, and keeps keys differing only by emoji or case apart', async () => {
      const longKey = `wmAbCdEf0123456789|1700000000|change_contact|${'k'.repeat(191 - 45)}`;
      expect(longKey).toHaveLength(191);
      // Not tested: keys differing only by trailing spaces. utf8mb4_bin is PAD SPACE on MySQL 8 and MariaDB alike
      // (the NO PAD binary collations differ by server), so such keys collide there; no dedup key ends in a space.
      const keys = ['7392049583726104832', longKey, '提案😀', '提案😁', 'abc', 'ABC'];
      for (const k of keys)
        expect(
          await ctx.db.inbox.add({
            ...envelope(k, `user-${k.length}`),
            kind: '提案😀',
            encrypted: `密文😀${k}`,
          }),
        ).toBe('stored');
      expect((await ctx.db.inbox.countByStatus()).pending).toBe(keys.length);
      const emojiUser = 'wx😀用户';
      await ctx.db.inbox.add(envelope('e1', emojiUser));
      const item = await ctx.db.inbox.nextForUser(emojiUser);
      expect(item?.userId).toBe(emojiUser);
      const byKey = await ctx.db.inbox.nextForUser(`user-${longKey.length}`);
      expect(byKey).toMatchObject({ dedupKey: longKey, kind: '提案😀', encrypted: `密文😀${longKey}` });
    });

    it('lists users with a due pending item, the one with the oldest item first, up to limit', async () => {
      await ctx.db.inbox.add(envelope('b1', 'bob', at(0)));
      await ctx.db.inbox.add(envelope('a1', 'alice', at(1)));
      await ctx.db.inbox.add(envelope('b2', 'bob', at(2)));
      await ctx.db.inbox.add(envelope('c1', 'carol', at(3)));
      await ctx.db.inbox.add(envelope('d1', 'dave', at(60_000))); // not due yet
      expect(await ctx.db.inbox.pendingUsers(at(10), 10)).toEqual(['bob', 'alice', 'carol']);
      expect(await ctx.db.inbox.pendingUsers(at(10), 2)).toEqual(['bob', 'alice']);
      expect(await ctx.db.inbox.pendingUsers(at(60_000), 10)).toEqual(['bob', 'alice', 'carol', 'dave']);

      // Finished items no longer count: bob's next pending item (b2) is now his oldest.
      const b1 = await ctx.db.inbox.nextForUser('bob');
      await ctx.db.commit([{ type: 'inbox.done', id: b1!.id, at: at(5) }]);
      const a1 = await ctx.db.inbox.nextForUser('alice');
      await ctx.db.commit([{ type: 'inbox.done', id: a1!.id, at: at(5) }]);
      expect(await ctx.db.inbox.pendingUsers(at(10), 10)).toEqual(['bob', 'carol']);
    });

    it('omits a user whose oldest pending item is backing off, even when a later one is due', async () => {
      await ctx.db.inbox.add(envelope('x1', 'xavier', at(0)));
      await ctx.db.inbox.add(envelope('x2', 'xavier', at(1)));
      await ctx.db.inbox.add(envelope('y1', 'yan', at(2)));
      const x1 = await ctx.db.inbox.nextForUser('xavier');
      await ctx.db.inbox.recordFailure(x1!.id, { error: 'boom', retryAt: at(30_000) });
      // x2 is due but must wait for x1: listing xavier would only waste a slot of `limit`.
      expect(await ctx.db.inbox.pendingUsers(at(10), 10)).toEqual(['yan']);
      expect(await ctx.db.inbox.pendingUsers(at(30_000), 10)).toEqual(['xavier', 'yan']);
    });

    it('nextForUser returns the oldest pending item even when it is not due', async () => {
      await ctx.db.inbox.add(envelope('n1', 'u1', at(0)));
      await ctx.db.inbox.add(envelope('n2', 'u1', at(1)));
      const first = await ctx.db.inbox.nextForUser('u1');
      await ctx.db.inbox.recordFailure(first!.id, { error: 'later', retryAt: at(3_600_000) });
      const again = await ctx.db.inbox.nextForUser('u1');
      expect(again).toMatchObject({ id: first!.id, dedupKey: 'n1', nextAttemptAt: at(3_600_000) });
      expect(await ctx.db.inbox.nextForUser('nobody')).toBeNull();
    });

    it('recordFailure counts the attempt and reschedules; retryAt null marks the item dead', async () => {
      await ctx.db.inbox.add(envelope('f1', 'u1'));
      const item = await ctx.db.inbox.nextForUser('u1');
      await ctx.db.inbox.recordFailure(item!.id, { error: 'first', retryAt: at(1_000) });
      expect(await ctx.reads.inboxItem(item!.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'first',
        nextAttemptAt: at(1_000),
      });
      await ctx.db.inbox.recordFailure(item!.id, { error: 'fatal 😀', retryAt: null });
      expect(await ctx.reads.inboxItem(item!.id)).toMatchObject({
        status: 'dead',
        attempts: 2,
        lastError: 'fatal 😀',
      });
      expect(await ctx.db.inbox.nextForUser('u1')).toBeNull();
      expect(await ctx.db.inbox.pendingUsers(at(10_000), 10)).toEqual([]);
      // A late failure report does not revive a dead item.
      await ctx.db.inbox.recordFailure(item!.id, { error: 'late', retryAt: at(2_000) });
      expect(await ctx.reads.inboxItem(item!.id)).toMatchObject({ status: 'dead', attempts: 2 });
    });

    it('counts every status, zero included', async () => {
      expect(await ctx.db.inbox.countByStatus()).toEqual({ pending: 0, done: 0, dead: 0 });
      for (const k of ['s1', 's2', 's3']) await ctx.db.inbox.add(envelope(k, k));
      const s1 = await ctx.db.inbox.nextForUser('s1');
      const s2 = await ctx.db.inbox.nextForUser('s2');
      await ctx.db.commit([
        { type: 'inbox.done', id: s1!.id, at: at(1) },
        { type: 'inbox.dead', id: s2!.id, reason: 'unparseable', at: at(1) },
      ]);
      expect(await ctx.db.inbox.countByStatus()).toEqual({ pending: 1, done: 1, dead: 1 });
    });
  });
}
