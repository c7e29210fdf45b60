import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { STAFF, T0, member, sentNotice } from './helpers.js';
import { testSqlite } from '../../support/testDatabase.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-export-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(
    argv,
    { DATA_DIR: dir, LOG_LEVEL: 'silent' },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  ).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('npm run cli -- notices export', () => {
  it('writes the receipts with Chinese headers, one row per recipient', async () => {
    const db = testSqlite(join(dir, 'xieshang.sqlite'));
    await db.members.upsertMany([STAFF, member('a', { name: '张三' }), member('b', { name: '李四' })]);
    const n = await sentNotice(db, 'k');
    await db.commit([
      { type: 'notice.answer', noticeId: n.id, userId: 'b', answer: 'leave', reason: '生病：住院', at: T0 },
      {
        type: 'notice.delivery',
        noticeId: n.id,
        userIds: ['a'],
        delivery: 'failed',
        error: 'invaliduser',
        at: T0,
      },
      { type: 'notice.delivery', noticeId: n.id, userIds: ['b'], delivery: 'sent', error: null, at: T0 },
    ]);
    await db.close();

    const file = join(dir, 'out.xlsx');
    const r = await cli(['notices', 'export', String(n.id), '--out', file]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`已导出 2 条回执：${file}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const rows = (wb.getWorksheet('回执')?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((v) => (Array.isArray(v) ? v.slice(1) : v));
    expect(rows).toEqual([
      ['账号', '姓名', '回执', '请假事由', '回复时间', '送达状态', '未送达原因'],
      ['a', '张三', '未回复', '', '', '未送达', 'invaliduser'],
      ['b', '李四', '请假', '生病：住院', '2026-11-02 09:00', '已送达', ''],
    ]);
    const summary = wb.getWorksheet('概况')?.getColumn(2).values ?? [];
    expect(summary).toContain('停车难专题协商会');
  });

  it('explains bad arguments and unknown notices', async () => {
    expect(await cli(['notices', 'export'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('需要通知编号'),
    });
    expect(await cli(['notices', 'export', '1', '--out', 'x.csv'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('.xlsx'),
    });
    expect(await cli(['notices', 'export', '42'])).toMatchObject({ code: 1, err: '没有编号为 42 的通知。' });
  });
});
