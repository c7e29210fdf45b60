import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDuties } from '../../../src/cli/dutiesExport.js';
import type { Database } from '../../../src/core/ports.js';
import { MEMBERS } from '../../fixtures/members.js';
import { testSqlite } from '../../support/testDatabase.js';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xieshang-duties-export-'));
  db = testSqlite(':memory:');
  await db.members.upsertMany(MEMBERS);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('duties export', () => {
  it('one row per member (not staff) with counts, points and what is open; a broken rules file is refused', async () => {
    const now = new Date('2026-06-30T04:00:00Z');
    await db.commit([
      {
        type: 'sentiment.submit',
        actorId: 'lisi',
        at: now,
        report: {
          submitKey: 's1',
          year: 2026,
          seq: 1,
          number: '社情〔2026〕第001号',
          source: 'member',
          reporterId: 'lisi',
          jointIds: [],
          replyTo: null,
          replyChannel: null,
          title: '关于校车安全的情况反映',
          category: null,
          situation: '情况',
          analysis: '分析',
          suggestions: '建议',
          town: null,
          contact: null,
          proposalId: null,
        },
      },
    ]);
    const file = join(dir, 'd.xlsx');
    const out = await exportDuties({
      db,
      year: 2026,
      out: file,
      pointsFile: 'flows/duties/points.yaml',
      now,
    });
    expect(out).toEqual({ ok: true, file, rows: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('积分')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const first = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(first.slice(0, 3)).toEqual(['lisi', '李四', '教育界']);
    expect(first[header.indexOf('报送社情民意')]).toBe(1);
    expect(first[header.indexOf('积分')]).toBe(3);
    expect(String(first[header.indexOf('尚未完成')])).toContain('今年还没有提交提案');
    expect(wb.getWorksheet('履职记录')!.getRow(2).values).toContain('报送社情民意');
    const broken = await exportDuties({ db, year: 2026, out: file, pointsFile: join(dir, 'none.yaml'), now });
    expect(broken.ok).toBe(false);
  });
});
