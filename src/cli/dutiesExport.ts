import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { writeSafeWorkbook } from './safeWorkbook.js';
import type { Database } from '../core/ports.js';
import { allMemberDuties, DUTY_ITEMS, DUTY_ITEM_LABELS, loadPointsRules } from '../features/duties/index.js';
import { formatShanghaiDate } from '../shared/chinaTime.js';

/**
 * `duties export --year 2026 [--out f.xlsx]`: every member's 履职 record for the year (sheet 积分: one row per member
 * with the count of each duty, points and what is still open; sheet 履职记录: one row per recorded duty).
 */
export async function exportDuties(args: {
  db: Database;
  year: number;
  out: string | null;
  pointsFile: string;
  now: Date;
}): Promise<{ ok: true; file: string; rows: number } | { ok: false; message: string }> {
  const loaded = await loadPointsRules(args.pointsFile);
  if (!loaded.ok) return { ok: false, message: loaded.problem };
  const list = await allMemberDuties(args.db, loaded.rules, args.year, args.now);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('积分');
  const headers = [
    '账号',
    '姓名',
    '界别',
    ...DUTY_ITEMS.map((i) => DUTY_ITEM_LABELS[i]),
    '积分',
    '退出关',
    '尚未完成',
  ];
  sheet.columns = headers.map((header, i) => ({
    header,
    width: i < 3 ? 12 : i >= headers.length - 3 ? 16 : 10,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 2 }];
  for (const d of list) {
    sheet.addRow([
      d.member.userId,
      d.member.name,
      d.member.sector ?? '',
      ...DUTY_ITEMS.map((i) => d.record.counts[i]),
      d.points.total,
      d.points.exitReasons.join('；'),
      d.points.open.join('；'),
    ]);
  }
  const entries = workbook.addWorksheet('履职记录');
  entries.columns = [
    { header: '姓名', width: 10 },
    { header: '日期', width: 12 },
    { header: '事项', width: 24 },
    { header: '内容', width: 50 },
  ];
  entries.getRow(1).font = { bold: true };
  for (const d of list)
    for (const e of d.record.entries)
      entries.addRow([d.member.name, formatShanghaiDate(e.at), DUTY_ITEM_LABELS[e.item], e.what]);
  const info = workbook.addWorksheet('说明');
  info.addRow(['积分规则', loaded.rules.name]);
  info.addRow(['年度', args.year]);
  const file = resolve(args.out ?? `履职档案-${args.year}.xlsx`);
  await writeSafeWorkbook(workbook, file);
  return { ok: true, file, rows: list.length };
}
