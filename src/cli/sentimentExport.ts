import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { writeSafeWorkbook } from './safeWorkbook.js';
import type { Database } from '../core/ports.js';
import { formatShanghai, formatShanghaiDate } from '../shared/chinaTime.js';
import {
  SENTIMENT_SOURCE_LABELS,
  SENTIMENT_STATE_LABELS,
  formatStats,
  sentimentStats,
  sentimentStore,
  yearStats,
} from '../features/sentiment/index.js';

export const REGISTER_HEADERS = [
  '编号',
  '标题',
  '类别',
  '来源',
  '反映人',
  '界别',
  '联名',
  '报送日期',
  '状态',
  '采用级别',
  '采用方式',
  '领导批示',
  '转办单位',
  '办理期限',
  '办理记录',
] as const;

/**
 * `sentiment export --year 2026 [--out f.xlsx]`: the year's 社情民意 register as a workbook (sheet 登记簿, one row per
 * report with its timeline; sheet 统计). Citizens appear as 群众 (with their 乡镇/街道 when given), never by id.
 */
export async function exportSentimentRegister(args: {
  db: Database;
  year: number;
  out: string | null;
}): Promise<{ ok: true; file: string; rows: number }> {
  const store = sentimentStore(args.db);
  const reports = await store.list({ year: args.year });
  const members = new Map((await args.db.members.list()).map((m) => [m.userId, m]));
  const name = (id: string): string => members.get(id)?.name ?? id;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('登记簿');
  sheet.columns = REGISTER_HEADERS.map((header, i) => ({
    header,
    width: [18, 36, 10, 10, 10, 10, 14, 12, 12, 8, 8, 30, 18, 12, 50][i] ?? 12,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of reports) {
    const events = await store.events(r.id);
    const citizen = r.source === 'citizen';
    sheet.addRow([
      r.number,
      r.title,
      r.category ?? '',
      SENTIMENT_SOURCE_LABELS[r.source],
      citizen ? `群众${r.town ? `（${r.town}）` : ''}` : name(r.reporterId),
      citizen ? '' : (members.get(r.reporterId)?.sector ?? ''),
      r.jointIds.map(name).join('、'),
      formatShanghaiDate(r.submittedAt),
      SENTIMENT_STATE_LABELS[r.state],
      r.level ?? '',
      r.adoptionMode ?? '',
      events
        .filter((e) => e.action === 'instruct')
        .map((e) => e.summary)
        .join('\n'),
      r.forwardUnit ?? '',
      r.forwardDue ?? '',
      events.map((e) => `${formatShanghai(e.at)} ${e.summary}`).join('\n'),
    ]);
  }
  const stats = sentimentStats(await yearStats(args.db, args.year));
  const summary = workbook.addWorksheet('统计');
  summary.columns = [{ width: 100 }];
  for (const line of formatStats(args.year, stats).split('\n')) summary.addRow([line]);
  const file = resolve(args.out ?? `社情民意-${args.year}.xlsx`);
  await writeSafeWorkbook(workbook, file);
  return { ok: true, file, rows: reports.length };
}
