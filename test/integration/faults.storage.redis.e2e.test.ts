import { afterEach, describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/ports.js';
import { StoreUnavailableError } from '../../src/shared/errors.js';
import { createRedisKeyValueStore } from '../../src/store/redis/redisKeyValueStore.js';
import { nextMsgId, waitFor } from './harness.js';
import {
  DRAFT_STEPS,
  REASON,
  SUBMITTED,
  TITLE,
  proposalsOf,
  seeded,
  shuffled,
  startFaultRig,
  type FaultRig,
} from './faultRig.js';

/**
 * Storage faults of the reliability plan, each with a fixed seed, counting effects in the database and deliveries in
 * the fake WeCom API: nothing acknowledged is lost, nothing is done twice. The server reaches MariaDB through a
 * proxy the test cuts, stalls and slows, and Redis is a redis-server of the test's own; the shared servers are never
 * stopped. Timelines are seconds, not the minutes of a soak: what matters is that each fault outlives the deadlines
 * it tests (the ack's 2.5 s, the store's 3 s per operation, Redis's 500 ms per command).
 *
 * This file: Redis killed and restarted empty (F1), Redis hung (F2). MariaDB: faults.storage.mysql.e2e.test.ts.
 * Not here, and why:
 * - F3 (Redis restarted from its AOF, a BullMQ queue resuming): there is no queue in Redis. Inbox and outbox are
 *   MariaDB tables; Redis holds only leases (per-member locks), counters and pause marks, all re-taken or rebuilt
 *   when missing. A restart that keeps some keys is a milder F1 (restart empty), which is tested.
 * - F4 (maxmemory-policy): applies even without BullMQ, since an evicted lease would let two processes serve one
 *   member at once; the start-up check is tested in redisEviction.e2e.test.ts.
 */
const mysqlUrl = process.env.TEST_DATABASE_URL;

/** Four members drafting at once, a fixed seed choosing the order of their messages and when Redis fails. */
const DRAFTERS: Member[] = Array.from({ length: 4 }, (_, i) => ({
  userId: `drafter${i + 1}`,
  name: `委员${i + 1}`,
  role: 'member' as const,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
}));

describe.skipIf(!mysqlUrl)('storage faults: Redis', () => {
  let rig: FaultRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /**
   * Each drafter sends the 10 answers of a proposal draft, round by round in a seeded order; Redis fails before a
   * seeded round and comes back two rounds later. Every callback is acknowledged throughout (the inbox is MariaDB);
   * afterwards every member is at the summary with every field, each step's question was asked once, and 确认
   * submits once per member.
   */
  async function draftThroughRedisFault(
    r: FaultRig,
    seed: number,
    fault: { down(): Promise<void>; up(): Promise<void> },
  ): Promise<void> {
    const random = seeded(seed);
    const downAt = 2 + Math.floor(random() * 5);
    const statuses: number[] = [];
    for (const [round, step] of DRAFT_STEPS.entries()) {
      if (round === downAt) await fault.down();
      if (round === downAt + 2) await fault.up();
      for (const m of shuffled(DRAFTERS, random)) statuses.push(await r.post(m.userId, step, nextMsgId()));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await r.settle(60_000);
    // Nothing given up on while Redis was away: no reply failed for good, no message dead-lettered.
    expect(await r.query("SELECT id, last_error FROM outbox WHERE status = 'failed'")).toEqual([]);
    expect(await r.query("SELECT id, last_error FROM inbox WHERE status = 'dead'")).toEqual([]);

    for (const m of DRAFTERS) {
      const texts = r.texts(m.userId);
      expect(texts).toHaveLength(DRAFT_STEPS.length);
      // Each question once, and in order: the replies of a conversation are never delivered out of order.
      const steps = texts.flatMap((t) => /第 (\d) 步/.exec(t)?.[1] ?? []).map(Number);
      expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const summary = texts.at(-1)!;
      expect(summary).toContain(`1. 标题：${TITLE}`);
      expect(summary).toContain(`4. 案由：${REASON}`);
      expect(summary).toContain('8. 建议承办单位：县住房和城乡建设局');
    }
    for (const m of shuffled(DRAFTERS, random)) expect(await r.post(m.userId, '确认', nextMsgId())).toBe(200);
    await r.settle(60_000);
    for (const m of DRAFTERS) {
      expect(await proposalsOf(r, m.userId)).toBe(1);
      expect(r.texts(m.userId).filter((t) => SUBMITTED.test(t))).toHaveLength(1);
    }
    expect(r.texts('wangwu').filter((t) => t.includes('【新提案】'))).toHaveLength(DRAFTERS.length);
  }

  it('F1: Redis killed mid-conversation and restarted empty — every callback acknowledged, no draft field lost, no step twice (seed 1)', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true, members: DRAFTERS }));
    await draftThroughRedisFault(r, 1, { down: () => r.redis!.kill(), up: () => r.redis!.restart() });
  }, 240_000);

  it('F2: Redis hung (SIGSTOP) then woken — its calls fail fast instead of queueing; same outcome (seed 2)', async () => {
    const r = (rig = await startFaultRig(mysqlUrl!, { redis: true, members: DRAFTERS }));
    // A client of our own, configured as the server's: while Redis is hung a call fails (StoreUnavailableError),
    // it does not wait in an offline queue for Redis to come back.
    const kv = createRedisKeyValueStore(r.redis!.url);
    try {
      await draftThroughRedisFault(r, 2, {
        down: async () => {
          r.redis!.hang();
          await expect(kv.get('probe')).rejects.toBeInstanceOf(StoreUnavailableError);
          await expect(kv.setIfAbsent('probe', '1', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
        },
        up: async () => {
          r.redis!.wake();
          await waitFor(
            async () =>
              await kv.get('probe').then(
                () => true,
                () => false,
              ),
            10_000,
            'redis',
          );
        },
      });
    } finally {
      await kv.close();
    }
  }, 240_000);
});
