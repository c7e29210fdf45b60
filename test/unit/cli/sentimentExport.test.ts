import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSentimentRegister, REGISTER_HEADERS } from '../../../src/cli/sentimentExport.js';
import { runCli } from '../../../src/cli/index.js';
import type { Database } from '../../../src/core/ports.js';
import { reviewReport, sentimentStore } from '../../../src/features/sentiment/index.js';
import type { NewReport } from '../../../src/features/sentiment/ports.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';

const at = new Date('2026-03-05T02:00:00Z');
const report = (seq: number, over: Partial<NewReport> = {}): NewReport => ({
  submitKey: `k${seq}`,
  year: 2026,
  seq,
  number: `社情〔2026〕第00${seq}号`,
  source: 'member',
  reporterId: 'zhangsan',
  jointIds: ['lisi'],
  replyTo: null,
  replyChannel: null,
  title: '关于城区学校周边交通拥堵的情况反映',
  category: '城乡建设',
  situation: '情况',
  analysis: '分析',
  suggestions: '建议',
  town: null,
  contact: null,
  proposalId: null,
  ...over,
});

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-sentiment-export-'));
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sentiment export', () => {
  it('writes the year register: one row per report with names, state, level, 批示 and timeline; citizens unnamed', async () => {
    await db.commit([
      { type: 'sentiment.submit', report: report(1), actorId: 'zhangsan', at },
      {
        type: 'sentiment.submit',
        report: report(2, {
          source: 'citizen',
          reporterId: 'c:abc',
          jointIds: [],
          town: '城关镇',
          title: '路灯坏了',
        }),
        actorId: 'c:abc',
        at,
      },
      {
        type: 'sentiment.submit',
        report: report(3, { year: 2025, submitKey: 'old' }),
        actorId: 'zhangsan',
        at,
      },
    ]);
    const [first] = await sentimentStore(db).list({ year: 2026 });
    for (const request of [
      { action: 'adopt', level: '市', mode: '单篇' },
      { action: 'instruct', by: '县长', text: '请研究' },
    ] as const) {
      const out = await reviewReport(db, { reportId: first!.id, request, actorId: 'wangwu', now: at });
      if (!out.ok) throw new Error(out.reason);
      await db.commit(out.changes);
    }
    const file = join(dir, 'r.xlsx');
    expect(await exportSentimentRegister({ db, year: 2026, out: file })).toEqual({ ok: true, file, rows: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('登记簿')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...REGISTER_HEADERS]);
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(2).slice(0, 12)).toEqual([
      '社情〔2026〕第001号',
      '关于城区学校周边交通拥堵的情况反映',
      '城乡建设',
      '委员反映',
      '张三',
      '经济界',
      '李四',
      '2026-03-05',
      '已采用',
      '市',
      '单篇',
      '领导批示（县长）：请研究',
    ]);
    expect(row(3).slice(3, 5)).toEqual(['民意线索', '群众（城关镇）']);
    expect(JSON.stringify(row(3))).not.toContain('c:abc');
    expect(String(wb.getWorksheet('统计')!.getRow(1).values)).toContain('2026 年社情民意统计：共 2 篇');
  });

  it('the command needs --year; a bad year is a usage error', async () => {
    const io = { out: () => undefined, err: (t: string) => errs.push(t) };
    const errs: string[] = [];
    expect(await runCli(['sentiment', 'export'], {}, io)).toBe(2);
    expect(await runCli(['sentiment', 'export', '--year', '26'], {}, io)).toBe(2);
    expect(errs.join('\n')).toContain('年份应为四位数字');
  });
});
