import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { writeSafeWorkbook } from './safeWorkbook.js';
import { DELIVERY_LABELS, noticeReceipts } from '../features/notices/noticeReceipts.js';
import type { Database } from '../core/ports.js';
import { ANSWER_LABELS, describeAudience, formatShanghai } from '../features/notices/domain/index.js';

export const RECEIPT_HEADERS = [
  '账号',
  '姓名',
  '回执',
  '请假事由',
  '回复时间',
  '送达状态',
  '未送达原因',
] as const;

/** `notices export <id> [--out file.xlsx]`: the receipts of one notice as a workbook (sheets 回执 and 概况). */
export async function exportNoticeReceipts(args: {
  db: Database;
  noticeId: number;
  out: string | null;
}): Promise<{ ok: true; file: string; rows: number } | { ok: false; message: string }> {
  const receipts = await noticeReceipts(args.db, args.noticeId);
  if (!receipts) return { ok: false, message: `没有编号为 ${args.noticeId} 的通知。` };
  const { notice, counts, recipients } = receipts;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('回执');
  sheet.columns = RECEIPT_HEADERS.map((header, i) => ({
    header,
    width: [14, 10, 8, 30, 18, 10, 16][i] ?? 12,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of recipients) {
    sheet.addRow([
      r.userId,
      r.name,
      r.answer ? ANSWER_LABELS[r.answer] : '未回复',
      r.reason ?? '',
      r.answeredAt ? formatShanghai(r.answeredAt) : '',
      DELIVERY_LABELS[r.delivery],
      r.deliveryError ?? '',
    ]);
  }
  const summary = workbook.addWorksheet('概况');
  summary.columns = [{ width: 12 }, { width: 40 }];
  const rows: [string, string | number][] = [
    ['标题', notice.title],
    ['类型', notice.kind],
    ['时间', formatShanghai(notice.startsAt)],
    ['地点', notice.place],
    ['内容', notice.content],
    ['发送对象', describeAudience(notice.audience)],
    ['回执截止', formatShanghai(notice.replyBy)],
    ['发送时间', notice.sentAt ? formatShanghai(notice.sentAt) : '未发送'],
    ['应到人数', counts.total],
    ['参加', counts.attend],
    ['请假', counts.leave],
    ['未回复', counts.noAnswer],
    ['未送达', counts.delivery.failed],
  ];
  for (const row of rows) summary.addRow(row);
  const file = resolve(args.out ?? `通知${notice.id}-回执.xlsx`);
  await writeSafeWorkbook(workbook, file);
  return { ok: true, file, rows: recipients.length };
}
