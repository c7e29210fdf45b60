import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger, startServer, type RunningServer } from '../../src/main.js';
import type { Database } from '../../src/core/ports.js';
import { WECOM_APP } from '../../src/core/actor.js';
import { exportProposals } from '../../src/cli/proposalsExport.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';
import { startFakeWecomApi, type FakeWecomApi } from '../fakes/fakeWecomApi.js';
import { cdata, eventXml, signCallback, textXml } from '../fakes/wecomSigner.js';
import {
  BACKENDS,
  CREDENTIALS,
  MEMBERS,
  contentOf,
  makeEnv,
  nextMsgId,
  resetServers,
  waitFor,
  type Backend,
} from '../integration/harness.js';
import { testOpenDatabase } from '../support/testDatabase.js';

/**
 * Inner content (reliability §5.3 B45–B60): authentic callbacks whose text is odd, hostile or claims too much, sent
 * through a running server (worker and sender included) to the fake WeCom API. Each row asserts what is stored,
 * what the person is answered, and — through the server's own log lines, captured at debug level — what is logged.
 */

// Many chat turns per test: on a loaded shared machine they can pass the default 30 s without anything being wrong.
vi.setConfig({ testTimeout: 120_000 });

interface Logged {
  backend: Backend;
  fake: FakeWecomApi;
  server: RunningServer;
  db: Database;
  dataDir: string;
  /** Every log line the server wrote, parsed. */
  lines: Array<Record<string, unknown>>;
  raw: string[];
}

async function startLogged(backend: Backend): Promise<Logged> {
  await resetServers(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'xieshang-inner-'));
  const fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
  const config = loadConfig(makeEnv(backend, dataDir, fake.url));
  const db = await testOpenDatabase(config.database);
  await db.members.upsertMany([...MEMBERS, ...EXTRA]);
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', {
    write(line: string) {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const server = await startServer(config, { logger });
  return { backend, fake, server, db, dataDir, lines, raw };
}

/**
 * More members, so that no one person gets over WeCom's 30 app messages a minute (the sender paces them to the
 * next minute, which would only slow the test down).
 */
const EXTRA = ['odd1', 'odd2', 'odd3', 'long1', 'asker'].map((userId, i) => ({
  userId,
  name: `委员${'甲乙丙丁戊'[i]}`,
  role: 'member' as const,
  sector: null,
  committee: null,
  mobile: null,
  active: true,
}));

const nowS = (): number => Math.floor(Date.now() / 1000);

function post(h: Logged, plaintext: string): Promise<Response> {
  const s = signCallback({ credentials: CREDENTIALS, plaintext });
  return fetch(`${h.server.url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body });
}

const text = (from: string, content: string, msgId = nextMsgId()): string =>
  textXml({
    corpId: CREDENTIALS.corpId,
    from,
    content,
    msgId,
    createTime: nowS(),
    agentId: CREDENTIALS.agentId,
  });

async function settled(h: Logged): Promise<void> {
  await waitFor(
    async () => {
      const inbox = await h.db.inbox.countByStatus();
      const outbox = await h.db.outbox.countByStatus();
      return inbox.pending === 0 && outbox.pending === 0;
    },
    15_000,
    'inbox and outbox to drain',
  );
}

async function rows(h: Logged): Promise<number> {
  const c = await h.db.inbox.countByStatus();
  return c.pending + c.done + c.dead;
}

/** Sends one text and returns each message the bot sent that user for it. */
async function sayParts(h: Logged, from: string, content: string, msgId = nextMsgId()): Promise<string[]> {
  const before = h.fake.deliveriesTo(from).length;
  expect((await post(h, text(from, content, msgId))).status).toBe(200);
  await settled(h);
  return h.fake
    .deliveriesTo(from)
    .slice(before)
    .map((d) => contentOf(d));
}

async function say(h: Logged, from: string, content: string, msgId = nextMsgId()): Promise<string> {
  return (await sayParts(h, from, content, msgId)).join('\n');
}

/** The member's open flow answers (conversation row), as stored. */
async function answers(h: Logged, userId: string): Promise<Record<string, unknown>> {
  const record = await h.db.conversations.get(userId);
  const data = record?.data as { state?: { answers?: Record<string, unknown> } } | undefined;
  return data?.state?.answers ?? {};
}

const REASON =
  '我县城区现有老旧小区86个，多数建于上世纪九十年代，没有电梯，老年住户上下楼十分困难，群众反映强烈。';

/** Drafts a proposal up to its summary, not public (so 不公开理由 is a free-text answer that can be changed). */
async function toSummary(h: Logged, from: string, title: string): Promise<void> {
  expect(await say(h, from, '写提案')).toContain('第 1 步');
  let r = await say(h, from, title);
  expect(r).toContain('第 2 步');
  await say(h, from, '1');
  expect(await say(h, from, '1')).toContain('第 3 步');
  expect(await say(h, from, REASON)).toContain('第 4 步');
  r = await say(h, from, '由县住房和城乡建设局牵头制定办法，县财政给予补助。');
  if (r.includes('仍要继续吗')) r = await say(h, from, '是');
  expect(r).toContain('第 5 步');
  await say(h, from, '否');
  await say(h, from, '否');
  expect(await say(h, from, '否')).toContain('不宜公开的理由');
  expect(await say(h, from, '初稿理由')).toContain('请核对您的提案');
}

async function exportedTitles(h: Logged): Promise<string[]> {
  const out = join(h.dataDir, `register-${Date.now()}.xlsx`);
  await exportProposals({ db: h.db, year: new Date().getFullYear(), out });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const sheet = wb.getWorksheet('提案登记表')!;
  const titles: string[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) titles.push(String(row.getCell(2).value));
  });
  return titles;
}

describe.each(BACKENDS)('inner content of authentic callbacks ($name)', (backend) => {
  let h: Logged;
  beforeAll(async () => {
    h = await startLogged(backend);
  });
  afterAll(async () => {
    await h?.server.stop();
    await h?.db.close();
    await h?.fake.close();
    if (h) rmSync(h.dataDir, { recursive: true, force: true });
  });

  it('B45 MsgIds past 2^53 that differ in the last digit are two messages, each processed once', async () => {
    const before = await rows(h);
    const replies = h.fake.deliveriesTo('lisi').length;
    for (const id of ['4561255354251345929', '4561255354251345928', '4561255354251345929'])
      expect((await post(h, text('lisi', '帮助', id))).status).toBe(200);
    await settled(h);
    // As numbers both would be 4561255354251345920: one row, one reply.
    expect(await rows(h)).toBe(before + 2);
    expect(h.fake.deliveriesTo('lisi').length - replies).toBe(2);
  });

  // Each value typed as the 不公开理由 answer: what must be stored (the summary echoes it).
  const ODD: Array<[row: string, typed: string, stored: string]> = [
    ['B46', '007', '007'],
    ['B46', '0x1A', '0x1A'],
    ['B46', '1e3', '1e3'],
    ['B46', '01012345678', '01012345678'],
    ['B46', 'true', 'true'],
    // Every free-text answer loses its surrounding spaces; the number is not parsed (FXP would make it 42).
    ['B46', ' 42 ', '42'],
    ['B47', '提案😀', '提案😀'],
    ['B50', "'; DROP TABLE proposals;-- ", "'; DROP TABLE proposals;--"],
    ['B50', '" OR 1=1 --', '" OR 1=1 --'],
    ['B51', '+1', '+1'],
    ['B51', '-2', '-2'],
    ['B51', '@SUM(A1)', '@SUM(A1)'],
    ['B54', 'a]]>b<c&d', 'a]]>b<c&d'],
    // B49: NUL and other C0 controls dropped, a lone surrogate replaced (it is not valid UTF-8 anywhere).
    ['B49', 'a\u0000b\u0001c\u001Fd', 'abcd'],
    ['B49', 'x\uD800y', 'x\uFFFDy'],
  ];
  const chunks = [ODD.slice(0, 5), ODD.slice(5, 10), ODD.slice(10)];

  it.each(
    chunks.map((c, i) => ({
      user: `odd${i + 1}`,
      cases: c,
      rows: [...new Set(c.map((x) => x[0]))].join(' '),
    })),
  )(
    '$rows odd, hostile and broken texts are stored as typed (or made safe) and echoed intact ($user)',
    async ({ user, cases }) => {
      await toSummary(h, user, `关于${user}的建议`);
      for (const [row, typed, stored] of cases) {
        expect(await say(h, user, '修改 不公开理由'), row).toContain('不宜公开的理由');
        const summary = await say(h, user, typed);
        expect((await answers(h, user))['privateReason'], `${row} ${JSON.stringify(typed)}`).toBe(stored);
        expect(summary, row).toContain(`不公开理由：${stored}`);
      }
      // Submitted: the row holds the last answer verbatim.
      expect(await say(h, user, '确认')).toContain('提案已提交');
      const mine = await proposalStore(h.db).listForMember(user);
      expect(mine.map((p) => p.privateReason)).toEqual([cases.at(-1)![2]]);
      // B49: echoed to WeCom without 40033 (the fake refuses \uXXXX as WeCom does): nothing refused on the way out.
      expect((await h.db.outbox.countByStatus()).failed).toBe(0);
    },
  );

  it('B49 a text stored before it was cleaned still reaches WeCom without 40033: the sender cleans it too', async () => {
    const before = h.fake.deliveriesTo('odd3').length;
    await h.db.commit([
      {
        type: 'outbox.add',
        at: new Date(),
        message: {
          dedupKey: `legacy-${Date.now()}`,
          toUser: 'odd3',
          channel: WECOM_APP,
          // (A lone surrogate cannot even be stored on MariaDB: its JSON check refuses the row.)
          message: { msgtype: 'text', text: { content: '旧\u0000数据\u0007！' } },
        },
      },
    ]);
    await settled(h);
    expect((await h.db.outbox.countByStatus()).failed).toBe(0);
    expect(h.fake.deliveriesTo('odd3').slice(before).map(contentOf)).toEqual(['旧数据！']);
  });

  it('B50 B51 a formula-ish, SQL-ish title is stored verbatim; the export shows it as text; the tables are intact', async () => {
    const title = '=HYPERLINK("http://x","点我")';
    await toSummary(h, 'zhangsan', title);
    expect((await answers(h, 'zhangsan'))['title']).toBe(title);
    expect(await say(h, 'zhangsan', '确认')).toContain('提案已提交');
    const mine = await proposalStore(h.db).listForMember('zhangsan');
    expect(mine.map((p) => p.title)).toEqual([title]);
    expect(await h.db.members.count()).toBe(MEMBERS.length + EXTRA.length);
    // B51: in the register export the cell starts with ' (text, not a formula).
    expect(await exportedTitles(h)).toContain(`'${title}`);
  });

  it('B48 bidi override, zero-width and combining floods are stored as typed and rendered inert in the export', async () => {
    const zalgo = `Z${'\u0301\u0316\u0358'.repeat(10)}`;
    const title = `关于\u202Egnp.exe\u200B${zalgo}的建议`;
    await toSummary(h, 'lisi', title);
    expect(await say(h, 'lisi', '确认')).toContain('提案已提交');
    const [p] = await proposalStore(h.db).listForMember('lisi');
    expect(p!.title).toBe(title);
    const exported = (await exportedTitles(h)).find((t) => t.startsWith('关于<U+202E>'));
    expect(exported).toBe(`关于<U+202E>gnp.exe\u200BZ\u0301\u0316\u0358的建议`);
  });

  it('B52 an answer of 10,000 characters is refused with the limit, nothing kept, the draft unchanged', async () => {
    await toSummary(h, 'long1', '关于规范城区占道经营管理的建议');
    const before = await answers(h, 'long1');
    expect(await say(h, 'long1', '修改 案由')).toContain('第 3 步');
    const reply = await say(h, 'long1', '长'.repeat(10_000));
    expect(reply).toContain('10000 个字');
    expect(reply).toContain('2000 个字');
    expect(reply).toContain('暂未保存');
    expect((await answers(h, 'long1'))['reason']).toBe(before['reason']);
  });

  it('B53 a reply past 2048 bytes reaches WeCom in parts of at most 2048 bytes, nothing cut', async () => {
    // The 案由 question is still open from B52: a long answer makes the summary echo about 6 KB.
    const reason = `${'长'.repeat(1000)}${'的'.repeat(990)}`;
    const parts = await sayParts(h, 'long1', reason);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(2048);
    expect(parts.join('').replace(/\s/g, '')).toContain(reason);
    expect((await answers(h, 'long1'))['reason']).toBe(reason);
    await say(h, 'long1', '取消');
  });

  it('B55 unknown message types and events are a 200 with no reply and no warning', async () => {
    const before = await rows(h);
    const replies = h.fake.deliveriesTo('lisi').length;
    const logged = h.lines.length;
    const common = {
      corpId: CREDENTIALS.corpId,
      from: 'lisi',
      createTime: nowS(),
      agentId: CREDENTIALS.agentId,
    };
    const location =
      `<xml><ToUserName>${cdata(CREDENTIALS.corpId)}</ToUserName><FromUserName>${cdata('lisi')}</FromUserName>` +
      `<CreateTime>${nowS()}</CreateTime><MsgType>${cdata('location')}</MsgType><Location_X>23.1</Location_X>` +
      `<Location_Y>113.3</Location_Y><Scale>20</Scale><Label>${cdata('某地')}</Label><MsgId>${nextMsgId()}</MsgId>` +
      `<AgentID>${CREDENTIALS.agentId}</AgentID></xml>`;
    const odd =
      `<xml><ToUserName>${cdata(CREDENTIALS.corpId)}</ToUserName><FromUserName>${cdata('lisi')}</FromUserName>` +
      `<CreateTime>${nowS()}</CreateTime><MsgType>${cdata('miniprogram_notice')}</MsgType>` +
      `<AgentID>${CREDENTIALS.agentId}</AgentID></xml>`;
    for (const xml of [
      eventXml({ ...common, event: 'enter_agent' }),
      eventXml({ ...common, event: 'view', eventKey: 'https://example.com' }),
      odd,
    ]) {
      const res = await post(h, xml);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    }
    await settled(h);
    expect(await rows(h)).toBe(before + 3);
    expect((await h.db.inbox.countByStatus()).dead).toBe(0);
    expect(h.fake.deliveriesTo('lisi').length).toBe(replies);
    // A location message is answered like any media (text only, please), but never dead-lettered either.
    expect((await post(h, location)).status).toBe(200);
    await settled(h);
    expect((await h.db.inbox.countByStatus()).dead).toBe(0);
    const levels = h.lines.slice(logged).map((l) => Number(l['level']));
    expect(levels.filter((l) => l >= 40)).toEqual([]);
  });

  it('B56 location reports without MsgId, every 5 s from one user, are each processed once', async () => {
    const before = await rows(h);
    const t0 = nowS() - 20;
    const report = (i: number): string =>
      `<xml><ToUserName>${cdata(CREDENTIALS.corpId)}</ToUserName><FromUserName>${cdata('zhangsan')}</FromUserName>` +
      `<CreateTime>${t0 + 5 * i}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('LOCATION')}</Event>` +
      `<Latitude>23.13${i}</Latitude><Longitude>113.2${i}</Longitude><Precision>30</Precision>` +
      `<AgentID>${CREDENTIALS.agentId}</AgentID></xml>`;
    for (const i of [0, 1, 2, 3]) expect((await post(h, report(i))).status).toBe(200);
    // WeCom's retry of the second report (same plaintext, new encryption): absorbed.
    expect((await post(h, report(1))).status).toBe(200);
    // Two distinct reports in the same second (another position): not collapsed into one.
    expect((await post(h, report(3).replace('<Latitude>23.133', '<Latitude>23.139'))).status).toBe(200);
    await settled(h);
    expect(await rows(h)).toBe(before + 5);
    expect((await h.db.inbox.countByStatus()).dead).toBe(0);
  });

  it('B57 a FromUserName not in the directory is told whom to ask and sees no member data', async () => {
    const reply = await say(h, 'nobody-9', '我的提案');
    expect(reply).toContain('县政协办公室');
    for (const m of MEMBERS) {
      expect(reply).not.toContain(m.name);
      if (m.mobile) expect(reply).not.toContain(m.mobile);
    }
    expect(reply).not.toContain('建议');
    expect(await h.db.conversations.get('nobody-9')).toBeNull();
  });

  it('B58 a member asking for staff-only things (群发, 导出名单, /broadcast) gets the generic answer; it is audited', async () => {
    const generic = await say(h, 'asker', '咕噜咕噜嘿');
    const logged = h.lines.length;
    const lisiBefore = h.fake.deliveriesTo('lisi').length;
    for (const ask of ['/broadcast 明天上午开会', '导出名单', '发通知', '交办提案', '提案统计']) {
      expect(await say(h, 'asker', ask), ask).toBe(generic);
      expect(await h.db.conversations.get('asker'), ask).toBeNull();
    }
    // The staff commands among them (the other two are no command at all) are logged: who and which, not the text.
    const audit = h.lines.slice(logged).filter((l) => l['msg'] === 'staff-only request refused');
    expect(audit.map((l) => [l['userId'], l['flowId']])).toEqual([
      ['asker', 'notice_compose'],
      ['asker', 'proposal_assign'],
      ['asker', 'proposal_stats'],
    ]);
    // No notice went out to anyone.
    expect(h.fake.deliveriesTo('lisi').length).toBe(lisiBefore);
  });

  it("B59 asking for another member's proposal gets the same answer as a number that does not exist; nothing logged", async () => {
    const [theirs] = await proposalStore(h.db).listForMember('lisi');
    expect(theirs).toBeDefined();
    const seq = Number(/第0*(\d+)号/.exec(theirs!.number)![1]);
    const logged = h.raw.length;
    const forOthers = await say(h, 'asker', `查看提案 ${seq}`);
    await say(h, 'asker', '退出');
    const forNone = await say(h, 'asker', '查看提案 987');
    await say(h, 'asker', '退出');
    expect(forOthers).toBe(forNone);
    expect(forOthers).not.toContain('gnp');
    const log = h.raw.slice(logged).join('');
    expect(log).not.toContain(theirs!.number);
    expect(log).not.toContain('gnp.exe');
    expect(log).not.toMatch(new RegExp(`"(proposalId|id)":"?${theirs!.id}"?[,}]`));
  });

  it('B60 a text claiming another identity is ignored: the sender stays who WeCom says', async () => {
    const generic = await say(h, 'lisi', '咕噜咕噜嘿');
    const staffBefore = h.fake.deliveriesTo('wangwu').length;
    const reply = await say(h, 'lisi', '我是王五 userid=wangwu，帮我群发通知');
    expect(reply).toBe(generic);
    const mine = await say(h, 'lisi', '我是张三 userid=zhangsan，我的提案');
    expect(mine).toContain('gnp.exe');
    expect(mine).not.toContain('HYPERLINK');
    await say(h, 'lisi', '退出');
    expect(h.fake.deliveriesTo('wangwu').length).toBe(staffBefore);
  });
});
