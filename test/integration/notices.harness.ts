/** Helpers shared by the notice end-to-end tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import type { Member } from '../../src/core/ports.js';
import { formatShanghai } from '../../src/features/notices/domain/index.js';
import { templateCardEventXml } from '../fakes/wecomSigner.js';
import { CREDENTIALS, waitFor, type Harness } from './harness.js';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

/**
 * Settings for the notice tests: the admin API on, and an empty flows folder — notices do not go through the
 * conversation flows, so these tests neither depend on nor break with the flow files.
 */
export function noticeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ADMIN_TOKEN, FLOWS_DIR: mkdtempSync(join(tmpdir(), 'xieshang-noflows-')), ...extra };
}

/** `n` active 委员 m00000…, in two sectors and two committees. */
export function roster(n: number): Member[] {
  return Array.from({ length: n }, (_, i) => ({
    userId: `m${String(i).padStart(5, '0')}`,
    name: `委员${i}`,
    role: 'member' as const,
    sector: i % 2 === 0 ? '经济界' : '教育界',
    committee: i % 3 === 0 ? '提案委员会' : '文史委员会',
    mobile: null,
    active: true,
  }));
}

export function noticeBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: '城区停车难专题协商会',
    kind: '专题协商会',
    // 15:00 China time three days on, whatever the hour the test runs: the 08:00 morning reminder is then always
    // before the meeting (a start just after midnight China time would have none).
    startsAt: `${formatShanghai(new Date(now + 3 * 86_400_000)).slice(0, 10)} 15:00`,
    place: '县政协三楼会议室',
    content: '议题：城区停车难问题的对策建议',
    audience: { all: true },
    replyBy: formatShanghai(new Date(now + 2 * 86_400_000)),
    leaveNeedsReason: false,
    ...over,
  };
}

export async function admin(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token: string | null = ADMIN_TOKEN,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/admin/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text };
  return { status: res.status, json };
}

let createTime = Math.floor(Date.now() / 1000);
/** A tap on a card button, as WeCom would call back (each tap its own CreateTime, so its own inbox key). */
export function tapXml(from: string, eventKey: string, responseCode: string): string {
  createTime += 1;
  return templateCardEventXml({
    corpId: CREDENTIALS.corpId,
    from,
    createTime,
    agentId: CREDENTIALS.agentId,
    eventKey,
    taskId: 'task',
    responseCode,
    cardType: 'button_interaction',
  });
}

export async function settle(h: Harness, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [i, o] = [await h.db.inbox.countByStatus(), await h.db.outbox.countByStatus()];
      return i.pending === 0 && o.pending === 0;
    },
    timeoutMs,
    'inbox and outbox to drain',
  );
}

/** Moves a notice's reply deadline (the tests cannot wait for a real one to pass). */
export async function setReplyBy(h: Harness, noticeId: number, replyBy: Date): Promise<void> {
  const database = h.config.database;
  if (database.kind === 'sqlite') {
    const conn = new BetterSqlite3(database.file);
    try {
      conn.prepare('UPDATE notices SET reply_by = ? WHERE id = ?').run(replyBy.getTime(), noticeId);
    } finally {
      conn.close();
    }
    return;
  }
  const conn = await createConnection(database.url);
  try {
    await conn.query("SET time_zone = '+00:00'");
    await conn.query('UPDATE notices SET reply_by = ? WHERE id = ?', [
      replyBy.toISOString().replace('T', ' ').replace('Z', ''),
      noticeId,
    ]);
  } finally {
    await conn.end();
  }
}

export function buttonKeys(body: Record<string, unknown>): string[] {
  const card = body['template_card'];
  if (typeof card !== 'object' || card === null) return [];
  const list: unknown = Reflect.get(card, 'button_list');
  return Array.isArray(list) ? list.map((b: unknown) => String(Reflect.get(Object(b), 'key'))) : [];
}

export function textOf(body: Record<string, unknown>): string {
  const t = body['text'];
  return typeof t === 'object' && t !== null ? String(Reflect.get(t, 'content')) : '';
}
