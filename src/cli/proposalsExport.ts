import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { writeSafeWorkbook } from './safeWorkbook.js';
import type { Database } from '../core/ports.js';
import {
  createLifecycleService,
  DEFAULT_PROPOSALS_SETTINGS,
  PROPOSAL_STATUS_LABELS,
  proposalStore,
} from '../features/proposals/index.js';
import { formatShanghaiDate } from '../shared/chinaTime.js';

export const REGISTER_HEADERS = [
  '编号',
  '标题',
  '第一提案人',
  '联名人',
  '类别',
  '状态',
  '重点提案',
  '主办单位',
  '会办单位',
  '交办日期',
  '答复期限',
  '办理结果',
  '答复日期',
  '按期答复',
  '评价',
  '提交日期',
] as const;

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** `proposals export --year 2026`: the year's register (sheet 提案登记表) and its statistics (sheet 统计). */
export async function exportProposals(args: {
  db: Database;
  year: number;
  out: string | null;
  now?: Date;
}): Promise<{ file: string; rows: number }> {
  const now = args.now ?? new Date();
  const store = proposalStore(args.db);
  const proposals = await store.query({ year: args.year });
  const ids = proposals.map((p) => p.id);
  const [assignments, replies, evaluations, members] = await Promise.all([
    store.assignmentsFor(ids),
    store.repliesFor(ids),
    store.evaluationsFor(ids),
    args.db.members.list(),
  ]);
  const name = (id: string) => members.find((m) => m.userId === id)?.name ?? id;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('提案登记表');
  sheet.columns = REGISTER_HEADERS.map((header, i) => ({
    header,
    width: [16, 40, 10, 20, 12, 14, 8, 18, 24, 12, 12, 28, 12, 8, 10, 12][i] ?? 12,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const p of proposals) {
    const live = assignments.filter((a) => a.proposalId === p.id && a.state !== 'reassigned');
    const host = live.find((a) => a.role === 'host');
    const reply = replies.filter((r) => r.proposalId === p.id && r.review === 'approved').at(-1);
    const evaluation = evaluations.filter((e) => e.proposalId === p.id).at(-1);
    const cosigners = (await store.cosigners(p.id))
      .filter((c) => c.status === 'accepted')
      .map((c) => name(c.userId));
    sheet.addRow([
      p.number,
      p.title,
      name(p.ownerId),
      cosigners.join('、'),
      p.category ?? '',
      PROPOSAL_STATUS_LABELS[p.status],
      p.keyProposal ? '是' : '',
      host?.unit ?? '',
      live
        .filter((a) => a.role === 'co')
        .map((a) => a.unit)
        .join('、'),
      host ? formatShanghaiDate(host.assignedAt) : '',
      host?.replyDue ?? '',
      reply ? reply.resultClass : '',
      reply ? formatShanghaiDate(reply.at) : '',
      reply ? (reply.dueDate === null || formatShanghaiDate(reply.at) <= reply.dueDate ? '是' : '否') : '',
      evaluation?.rating ?? '',
      formatShanghaiDate(p.submittedAt),
    ]);
  }
  const service = createLifecycleService({ ...DEFAULT_PROPOSALS_SETTINGS, units: [] });
  const stats = await service.statistics(args.db, now, args.year);
  const summary = workbook.addWorksheet('统计');
  summary.columns = [
    { width: 18 },
    { width: 14 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
  ];
  summary.addRow([`${args.year} 年提案统计`]).font = { bold: true };
  summary.addRow(['提案总数', stats.total]);
  summary.addRow(['立案率', percent(stats.registrationRate)]);
  summary.addRow(['按期办复率', percent(stats.onTimeReplyRate)]);
  summary.addRow(['满意率', percent(stats.satisfactionRate)]);
  summary.addRow([]);
  summary.addRow(['状态', '件数']).font = { bold: true };
  for (const [status, n] of Object.entries(stats.byStatus))
    if (n > 0) summary.addRow([PROPOSAL_STATUS_LABELS[status as keyof typeof PROPOSAL_STATUS_LABELS], n]);
  summary.addRow([]);
  summary.addRow(['类别', '件数', '立案', '办结']).font = { bold: true };
  for (const c of stats.byCategory) summary.addRow([c.category, c.total, c.registered, c.closed]);
  summary.addRow([]);
  summary.addRow(['承办单位', '主办', '会办', '已答复', '按期', '逾期', '满意']).font = { bold: true };
  for (const u of stats.byUnit)
    summary.addRow([u.unit, u.host, u.co, u.replied, u.onTime, u.overdue, u.satisfied]);
  const file = resolve(args.out ?? `提案登记表${args.year}.xlsx`);
  await writeSafeWorkbook(workbook, file);
  return { file, rows: proposals.length };
}
