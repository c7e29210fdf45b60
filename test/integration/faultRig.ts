import { expect } from 'vitest';
import { createConnection } from 'mysql2/promise';
import type { Member } from '../../src/core/ports.js';
import { startTcpProxy, type TcpProxy } from '../fakes/tcpProxy.js';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import {
  CREDENTIALS,
  MEMBERS,
  contentOf,
  nextMsgId,
  startHarness,
  waitFor,
  type Harness,
} from './harness.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';

/**
 * The storage-fault rig: the server under test reaches MariaDB only through a TCP proxy the test can cut, stall and
 * slow, and Redis is a redis-server of the test's own (killed, hung, restarted empty). The shared servers other
 * tests use are never touched. The test itself looks at the database directly, past the proxy.
 */
export interface FaultRig {
  h: Harness;
  proxy: TcpProxy;
  redis: PrivateRedis | null;
  /** Posts a signed text callback (the same MsgId is WeCom's retry of it) and returns the HTTP status. */
  post(from: string, content: string, msgId: string): Promise<number>;
  /** Runs SQL on the database directly (not through the proxy). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Waits until every inbox and outbox row is settled, looking past the proxy. */
  settle(timeoutMs?: number): Promise<void>;
  /** What the fake WeCom API delivered to a user, as texts. */
  texts(user: string): string[];
  close(): Promise<void>;
}

export async function startFaultRig(
  directUrl: string,
  opts: { redis: boolean; members?: Member[]; env?: Record<string, string> },
): Promise<FaultRig> {
  const target = new URL(directUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
  const viaProxy = new URL(directUrl);
  viaProxy.port = String(proxy.port);
  const redis = opts.redis ? await startPrivateRedis() : null;
  let h: Harness;
  try {
    h = await startHarness(
      { name: 'mysql-via-proxy', databaseUrl: viaProxy.toString(), redisUrl: redis?.url ?? null },
      opts.env ?? {},
    );
  } catch (err) {
    await proxy.close();
    await redis?.stop();
    throw err;
  }
  const conn = await createConnection({ uri: directUrl, charset: 'UTF8MB4_BIN' });
  if (opts.members) await h.db.members.upsertMany([...MEMBERS, ...opts.members]);

  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  };
  return {
    h,
    proxy,
    redis,
    async post(from, content, msgId) {
      const xml = textXml({
        corpId: CREDENTIALS.corpId,
        from,
        content,
        msgId,
        createTime: Math.floor(Date.now() / 1000),
        agentId: CREDENTIALS.agentId,
      });
      const s = signCallback({ credentials: CREDENTIALS, plaintext: xml });
      const res = await fetch(`${h.server.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
      await res.arrayBuffer();
      return res.status;
    },
    query,
    async settle(timeoutMs = 60_000) {
      await waitFor(
        async () => {
          const [row] = await query<{ n: number }>(
            `SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS n`,
          );
          return Number(row?.n) === 0;
        },
        timeoutMs,
        'inbox and outbox to drain',
      );
    },
    texts: (user) => h.fake.deliveriesTo(user).map(contentOf),
    async close() {
      proxy.resume();
      proxy.setLatency(0);
      proxy.restore();
      redis?.wake();
      await h.close();
      await conn.end();
      await proxy.close();
      await redis?.stop();
    },
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same interleaving and fault timing on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const TITLE = '关于加快老旧小区加装电梯的建议';
export const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈，加装电梯的需求日益迫切。';
export const SUGGESTIONS =
  '1. 由县住房和城乡建设局牵头制定加装电梯实施办法；\n2. 县财政对每台电梯给予适当补助。';

/** A member's answers from 写提案 up to the summary (no co-signers), as people type them. */
export const DRAFT_STEPS = ['写提案', TITLE, '1', '城建', REASON, SUGGESTIONS, '否', '是', '8', '是'];

export const SUBMITTED = /提案已提交，编号/;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function proposalsOf(rig: FaultRig, user: string): Promise<number> {
  const [row] = await rig.query<{ n: number }>('SELECT COUNT(*) AS n FROM proposals WHERE owner_id = ?', [
    user,
  ]);
  return Number(row?.n);
}

/** Outbox rows to `user` whose text matches (orphans would be rows without their effect, or twice). */
export async function outboxRows(rig: FaultRig, user: string, text: RegExp): Promise<{ status: string }[]> {
  const rows = await rig.query<{ status: string; message: unknown }>(
    'SELECT status, message FROM outbox WHERE to_user = ?',
    [user],
  );
  return rows
    .filter((r) => text.test(typeof r.message === 'string' ? r.message : JSON.stringify(r.message)))
    .map((r) => ({ status: r.status }));
}

/** `KILL <id>` of the server's connection from the proxy's `port`: that one session of this test, no other. */
export async function killConnection(rig: FaultRig, port: number): Promise<number> {
  const [row] = await rig.query<{ ID: number }>(
    'SELECT ID FROM information_schema.PROCESSLIST WHERE HOST LIKE ?',
    [`%:${port}`],
  );
  const id = Number(row?.ID);
  if (!id) throw new Error(`no server connection from port ${port}`);
  await rig.query(`KILL ${id}`);
  return id;
}

/** Walks `user` to the summary (a member's messages are processed in order, so no need to wait between them). */
export async function draftToSummary(rig: FaultRig, user: string): Promise<void> {
  for (const step of DRAFT_STEPS) expect(await rig.post(user, step, nextMsgId())).toBe(200);
  await rig.settle();
  expect(rig.texts(user).at(-1)).toContain('请核对您的提案');
}

/** Exactly one proposal, one 提案已提交 (sent, and delivered once), one notice to the staff member. */
export async function expectSubmittedOnce(rig: FaultRig, user: string): Promise<void> {
  expect(await proposalsOf(rig, user)).toBe(1);
  expect(rig.texts(user).filter((t) => SUBMITTED.test(t))).toHaveLength(1);
  expect(await outboxRows(rig, user, SUBMITTED)).toEqual([{ status: 'sent' }]);
  expect(rig.texts('wangwu').filter((t) => t.includes('【新提案】'))).toHaveLength(1);
  const [dead] = await rig.query<{ n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE status = 'dead'");
  expect(Number(dead?.n)).toBe(0);
}
