/**
 * `npm run cli -- surveys …`: what staff do with surveys from a terminal — list, open, close, results (text, or an
 * Excel workbook), and the 客服 link with a QR code PNG for posters.
 */
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { writeSafeWorkbook } from './safeWorkbook.js';
import QRCode from 'qrcode';
import type { Config } from '../config/config.js';
import type { Database } from '../core/ports.js';
import {
  createSurveyAdmin,
  displayAnswerOf,
  loadSurveyCatalog,
  maskPersonalNumbers,
  summaryText,
  surveyStore,
  type SurveyAdmin,
  type SurveyCatalog,
  type SurveyResponse,
  type SurveyResults,
} from '../features/surveys/index.js';
import { formatShanghai } from '../shared/chinaTime.js';
import { systemClock } from '../shared/clock.js';
import { openKeyValueStore } from '../store/openStores.js';
import { createWecomClient } from '../wecom/api/client.js';
import { kfAddContactWay } from '../wecom/api/kfContactWay.js';
import { createTokenProvider } from '../wecom/api/tokenProvider.js';
import { fetchTransport } from '../wecom/api/transport.js';

export const SURVEYS_USAGE = `  surveys list            列出问卷：编号、标题、状态、份数、截止时间
  surveys open <问卷> [--closes "YYYY-MM-DD HH:mm"]
                          开放问卷：从现在到截止时间（默认问卷文件中的截止时间）
  surveys close <问卷>    提前截止
  surveys results <问卷> [--by <题目>] [--audience citizens|members] [--xlsx 文件.xlsx]
                          统计结果（--by 按乡镇、年龄段等单选题分组）；--xlsx 导出 Excel（答卷以化名 R0001… 标识）
  surveys link <问卷> [--kf <客服账号 open_kfid>] [--out 文件.png] [--new]
                          生成问卷的微信客服链接（kf/add_contact_way，带问卷的 scene）和海报用二维码 PNG；
                          客服账号默认 WECOM_KF_OPEN_KFIDS 的第一个；已有链接时沿用，--new 重新生成`;

export type SurveysCommand =
  | { kind: 'surveys.list' }
  | { kind: 'surveys.open'; id: string; closes: string | null }
  | { kind: 'surveys.close'; id: string }
  | {
      kind: 'surveys.results';
      id: string;
      by: string | null;
      audience: 'citizens' | 'members' | null;
      xlsx: string | null;
    }
  | { kind: 'surveys.link'; id: string; kf: string | null; out: string | null; fresh: boolean };

/** Parses `surveys <action> …`; a problem is said in Chinese. */
export function parseSurveysArgs(
  action: string | undefined,
  rest: readonly string[],
): SurveysCommand | { kind: 'usage'; problem: string } {
  if (action === 'list')
    return rest.length === 0
      ? { kind: 'surveys.list' }
      : { kind: 'usage', problem: `多余的参数：${rest.join(' ')}` };
  const [id, ...options] = rest;
  if (id === undefined || id.startsWith('--') || !/^[a-z][a-z0-9_]*$/.test(id))
    return { kind: 'usage', problem: `surveys ${action ?? ''} 需要问卷编号（如 minsheng_2027）` };
  const flags = new Map<string, string | true>();
  for (let i = 0; i < options.length; i++) {
    const flag = options[i] ?? '';
    if (!flag.startsWith('--')) return { kind: 'usage', problem: `多余的参数：${flag}` };
    if (flag === '--new') {
      flags.set(flag, true);
      continue;
    }
    const value = options[i + 1];
    if (value === undefined || value.startsWith('--'))
      return { kind: 'usage', problem: `${flag} 需要一个值` };
    flags.set(flag, value);
    i += 1;
  }
  const allowed: Record<string, readonly string[]> = {
    open: ['--closes'],
    close: [],
    results: ['--by', '--audience', '--xlsx'],
    link: ['--kf', '--out', '--new'],
  };
  const ok = action === undefined ? undefined : allowed[action];
  if (ok === undefined) return { kind: 'usage', problem: `未知命令：surveys ${action ?? ''}` };
  for (const f of flags.keys())
    if (!ok.includes(f)) return { kind: 'usage', problem: `surveys ${action} 没有选项 ${f}` };
  const text = (f: string): string | null => {
    const v = flags.get(f);
    return typeof v === 'string' ? v : null;
  };
  switch (action as 'open' | 'close' | 'results' | 'link') {
    case 'open':
      return { kind: 'surveys.open', id, closes: text('--closes') };
    case 'close':
      return { kind: 'surveys.close', id };
    case 'results': {
      const audience = text('--audience');
      if (audience !== null && audience !== 'citizens' && audience !== 'members')
        return { kind: 'usage', problem: '--audience 只能是 citizens（群众）或 members（委员）' };
      const xlsx = text('--xlsx');
      if (xlsx !== null && !/\.xlsx$/i.test(xlsx))
        return { kind: 'usage', problem: '导出文件名应以 .xlsx 结尾' };
      return { kind: 'surveys.results', id, by: text('--by'), audience, xlsx };
    }
    case 'link': {
      const out = text('--out');
      if (out !== null && !/\.png$/i.test(out))
        return { kind: 'usage', problem: '二维码文件名应以 .png 结尾' };
      return { kind: 'surveys.link', id, kf: text('--kf'), out, fresh: flags.has('--new') };
    }
  }
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const EXIT_OK = 0;
const EXIT_BAD_INPUT = 1;

export async function runSurveysCommand(
  command: SurveysCommand,
  config: Config,
  db: Database,
  io: Io,
): Promise<number> {
  const catalog = loadSurveyCatalog(config.flowsDir);
  const admin = createSurveyAdmin({
    db,
    catalog,
    settings: { openUnlessClosed: config.wecom === null },
    now: () => systemClock.now(),
  });
  const unknown = (id: string): number => {
    io.err(
      `没有编号为 ${id} 的问卷（${config.flowsDir}/surveys/ 中有：${catalog.all.map((s) => s.id).join('、') || '无'}）。`,
    );
    return EXIT_BAD_INPUT;
  };
  switch (command.kind) {
    case 'surveys.list': {
      const list = await admin.list();
      if (list.length === 0) io.out('没有问卷。');
      for (const s of list)
        io.out(
          `${s.id}  ${s.title}  ${s.stateLabel}  ${s.responses} 份  截止 ${formatShanghai(new Date(s.closesAt))}`,
        );
      return EXIT_OK;
    }
    case 'surveys.open': {
      const r = await admin.open(command.id, command.closes ?? undefined);
      if (r === 'notFound') return unknown(command.id);
      if (!r.ok) {
        io.err(r.message);
        return EXIT_BAD_INPUT;
      }
      io.out(`已开放 ${command.id}，截止 ${formatShanghai(r.closesAt)}。`);
      return EXIT_OK;
    }
    case 'surveys.close': {
      const r = await admin.close(command.id);
      if (r === 'notFound') return unknown(command.id);
      io.out(`已截止 ${command.id}。`);
      return EXIT_OK;
    }
    case 'surveys.results':
      return results(command, admin, catalog, io, unknown);
    case 'surveys.link':
      return link(command, config, db, catalog, io, unknown);
  }
}

async function results(
  command: Extract<SurveysCommand, { kind: 'surveys.results' }>,
  admin: SurveyAdmin,
  catalog: SurveyCatalog,
  io: Io,
  unknown: (id: string) => number,
): Promise<number> {
  const r = await admin.results(command.id, {
    ...(command.by ? { by: command.by } : {}),
    ...(command.audience ? { audience: command.audience } : {}),
  });
  if (r === 'notFound') return unknown(command.id);
  if ('error' in r) {
    io.err(r.error);
    return EXIT_BAD_INPUT;
  }
  io.out(summaryText(r, { maxTexts: 10 }));
  if (r.crossTab)
    for (const g of r.crossTab.groups) {
      io.out(`\n按「${r.crossTab.by.label}」：${g.label}（${g.respondents} 份）`);
      for (const q of g.questions) {
        if (q.options) io.out(`  ${q.label}：${q.options.map((o) => `${o.label} ${o.count}`).join('，')}`);
        if (q.mean !== undefined) io.out(`  ${q.label}：平均 ${q.mean ?? '—'}`);
      }
    }
  if (command.xlsx === null) return EXIT_OK;
  const survey = catalog.get(command.id);
  const rows = await admin.responses(command.id);
  if (!survey || rows === 'notFound') return unknown(command.id);
  const file = await writeWorkbook(command.xlsx, r, survey, rows, command.audience);
  io.out(`已导出：${file}`);
  return EXIT_OK;
}

/** A cell's text, safe in a spreadsheet: personal numbers masked, a leading = + - @ not read as a formula. */
export function cellText(text: string): string {
  const masked = maskPersonalNumbers(text);
  return /^[=+\-@\t\r]/.test(masked) ? `'${masked}` : masked;
}

async function writeWorkbook(
  out: string,
  r: SurveyResults,
  survey: NonNullable<ReturnType<SurveyCatalog['get']>>,
  rows: readonly { pseudonym: string; response: SurveyResponse }[],
  audience: 'citizens' | 'members' | null,
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const stats = workbook.addWorksheet('统计');
  stats.columns = [{ width: 36 }, { width: 12 }, { width: 10 }];
  stats.addRow([cellText(`《${r.title}》`), `${r.respondents} 份`, '']);
  stats.addRow(['群众', r.byAudience.citizens, '']);
  stats.addRow(['委员', r.byAudience.members, '']);
  for (const q of r.questions) {
    stats.addRow([]);
    stats.addRow([
      cellText(q.label),
      `${q.answered} 人回答`,
      q.skipped > 0 ? `${q.skipped} 人跳过` : '',
    ]).font = {
      bold: true,
    };
    for (const o of q.options ?? []) stats.addRow([cellText(o.label), o.count, `${o.percent}%`]);
    if (q.mean !== undefined) stats.addRow(['平均', q.mean ?? '', '']);
    for (const d of q.distribution ?? []) stats.addRow([`${d.score} 分`, d.count, `${d.percent}%`]);
  }
  const answers = workbook.addWorksheet('答卷');
  const questions = survey.questions;
  answers.columns = [
    { header: '化名', width: 10 },
    { header: '来源', width: 8 },
    { header: '提交时间', width: 18 },
    ...questions.map((q) => ({ header: cellText(q.label), width: q.type.endsWith('Text') ? 40 : 16 })),
  ];
  answers.getRow(1).font = { bold: true };
  answers.views = [{ state: 'frozen', ySplit: 1 }];
  for (const { pseudonym, response } of rows) {
    const source = response.channel === 'wecom-kf' ? '群众' : '委员';
    if (audience === 'citizens' && source !== '群众') continue;
    if (audience === 'members' && source !== '委员') continue;
    answers.addRow([
      pseudonym,
      source,
      formatShanghai(response.updatedAt),
      ...questions.map((q) => cellText(displayAnswerOf(q, response.answers[q.id]))),
    ]);
  }
  if (r.crossTab) {
    const cross = workbook.addWorksheet(`按${r.crossTab.by.label}`.slice(0, 31));
    cross.columns = [{ width: 16 }, { width: 36 }, { width: 10 }, { width: 10 }];
    for (const g of r.crossTab.groups)
      for (const q of g.questions) {
        for (const o of q.options ?? [])
          cross.addRow([cellText(g.label), cellText(`${q.label}：${o.label}`), o.count, `${o.percent}%`]);
        if (q.mean !== undefined)
          cross.addRow([cellText(g.label), cellText(`${q.label}：平均`), q.mean ?? '', '']);
      }
  }
  const file = resolve(out);
  await writeSafeWorkbook(workbook, file);
  return file;
}

async function link(
  command: Extract<SurveysCommand, { kind: 'surveys.link' }>,
  config: Config,
  db: Database,
  catalog: SurveyCatalog,
  io: Io,
  unknown: (id: string) => number,
): Promise<number> {
  const survey = catalog.get(command.id);
  if (!survey) return unknown(command.id);
  const png = resolve(command.out ?? `问卷-${survey.id}.png`);
  const state = await surveyStore(db).state(survey.id);
  let url = command.fresh ? null : (state?.linkUrl ?? null);
  if (url === null) {
    const credentials = config.wecom;
    if (credentials === null) {
      io.err(
        `本地模式没有微信客服链接（需要企业微信配置）。本地试用：npm run chat -- --as-citizen <id> --scene ${survey.scene}`,
      );
      return EXIT_BAD_INPUT;
    }
    // The 客服账号 list belongs to the 微信客服 channel's settings (WECOM_KF_OPEN_KFIDS, parsed by the config).
    const openKfid = command.kf ?? config.kf.openKfids[0] ?? '';
    if (openKfid === '') {
      io.err('需要客服账号：--kf <open_kfid>，或设置 WECOM_KF_OPEN_KFIDS。');
      return EXIT_BAD_INPUT;
    }
    const kv = openKeyValueStore(config.redisUrl);
    try {
      const client = createWecomClient({
        apiBase: config.wecomApiBase,
        agentId: credentials.agentId,
        transport: fetchTransport,
        timeoutMs: config.wecomApiTimeoutMs,
        tokens: createTokenProvider({
          apiBase: config.wecomApiBase,
          corpId: credentials.corpId,
          secret: credentials.secret,
          agentId: credentials.agentId,
          transport: fetchTransport,
          cache: kv,
          clock: systemClock,
        }),
      });
      url = (await kfAddContactWay(client, { openKfid, scene: survey.scene })).url;
    } finally {
      await kv.close();
    }
    await db.commit([{ type: 'survey.link', surveyId: survey.id, url }]);
  }
  await QRCode.toFile(png, url, { type: 'png', width: 800, margin: 2, errorCorrectionLevel: 'M' });
  io.out(`《${survey.title}》的客服链接：${url}\n二维码：${png}`);
  return EXIT_OK;
}
