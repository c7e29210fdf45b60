import { pathToFileURL } from 'node:url';
import type { Database } from '../core/ports.js';
import { ConfigError, loadConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { AppError, assertNever, errorMessage } from '../shared/errors.js';
import { openDatabase } from '../store/openStores.js';
import { createRegistry } from '../core/registry.js';
import { createFeatures } from '../features/index.js';
import { migrateMysql } from '../store/mysql/mysqlDatabase.js';
import { formatImportReport, formatMemberList, importMembers } from './membersImport.js';
import { exportNoticeReceipts } from './noticesExport.js';
import { parseSurveysArgs, runSurveysCommand, SURVEYS_USAGE, type SurveysCommand } from './surveysCommand.js';
import { exportSentimentRegister } from './sentimentExport.js';
import { exportDuties } from './dutiesExport.js';
import { exportProposals } from './proposalsExport.js';
import { readUnitsFile } from '../store/flowFiles.js';
import { loadUnits } from '../features/proposals/index.js';

/** Exit codes: 0 done, 1 bad input (config, file, rows) or a failure, 2 usage error. */
const EXIT_OK = 0;
const EXIT_BAD_INPUT = 1;
const EXIT_USAGE = 2;

const USAGE = `用法：npm run cli -- <命令>

命令：
  members import <文件>   从 CSV 或 XLSX 导入成员名册（表头：账号、姓名、角色、界别、专委会、手机、状态、承办单位）
                          角色：委员、工作人员、承办单位联系人（须填承办单位，且在 flows/units.yaml 中）、督办领导
                          有任何一行出错则全部不导入，并列出每一处错误
  members list            列出全部成员（手机号部分隐藏）
  notices export <编号> [--out 文件.xlsx]
                          把一份通知的回执导出为 Excel（默认文件名：通知<编号>-回执.xlsx）
${SURVEYS_USAGE}
  sentiment export --year <年份> [--out 文件.xlsx]
                          导出该年度社情民意登记簿（默认文件名：社情民意-<年份>.xlsx）
  duties export --year <年份> [--out 文件.xlsx]
                          导出该年度全体委员履职档案和积分（默认文件名：履职档案-<年份>.xlsx）
  proposals export --year <年份> [--out 文件.xlsx]
                          把一年的提案登记表导出为 Excel（默认文件名：提案登记表<年份>.xlsx）
  db migrate              执行数据库迁移（MySQL；SQLite 在每次打开时自动迁移）
  help                    显示本帮助`;

type Command =
  | { kind: 'members.import'; file: string }
  | { kind: 'members.list' }
  | { kind: 'notices.export'; noticeId: number; out: string | null }
  | { kind: 'sentiment.export'; year: number; out: string | null }
  | { kind: 'duties.export'; year: number; out: string | null }
  | { kind: 'proposals.export'; year: number; out: string | null }
  | { kind: 'db.migrate' }
  | SurveysCommand;

function parseArgs(argv: readonly string[]): Command | { kind: 'help' } | { kind: 'usage'; problem: string } {
  const [group, action, ...rest] = argv;
  if (group === undefined) return { kind: 'usage', problem: '缺少命令' };
  if (group === 'help' || group === '--help' || group === '-h') return { kind: 'help' };
  const extra = (n: number): boolean => rest.length > n;
  if (group === 'members' && action === 'import') {
    const file = rest[0];
    if (file === undefined) return { kind: 'usage', problem: 'members import 需要一个文件路径' };
    if (extra(1)) return { kind: 'usage', problem: `多余的参数：${rest.slice(1).join(' ')}` };
    return { kind: 'members.import', file };
  }
  if (group === 'members' && action === 'list' && !extra(0)) return { kind: 'members.list' };
  if (group === 'notices' && action === 'export') return parseExport(rest);
  if (group === 'sentiment' && action === 'export') return parseYearExport('sentiment.export', rest);
  if (group === 'duties' && action === 'export') return parseYearExport('duties.export', rest);
  if (group === 'proposals' && action === 'export') return parseProposalsExport(rest);
  if (group === 'db' && action === 'migrate' && !extra(0)) return { kind: 'db.migrate' };
  if (group === 'surveys') return parseSurveysArgs(action, rest);
  return { kind: 'usage', problem: `未知命令：${argv.join(' ')}` };
}

function parseExport(rest: readonly string[]): Command | { kind: 'usage'; problem: string } {
  const [id, ...options] = rest;
  if (id === undefined || !/^[1-9]\d{0,9}$/.test(id))
    return { kind: 'usage', problem: 'notices export 需要通知编号（正整数）' };
  if (options.length === 0) return { kind: 'notices.export', noticeId: Number(id), out: null };
  const [flag, out, ...more] = options;
  if (flag !== '--out' || out === undefined || out.startsWith('--'))
    return { kind: 'usage', problem: 'notices export 的选项只有 --out <文件.xlsx>' };
  if (more.length > 0) return { kind: 'usage', problem: `多余的参数：${more.join(' ')}` };
  if (!/\.xlsx$/i.test(out)) return { kind: 'usage', problem: '导出文件名应以 .xlsx 结尾' };
  return { kind: 'notices.export', noticeId: Number(id), out };
}

function parseYearExport(
  kind: 'sentiment.export' | 'duties.export',
  rest: readonly string[],
): Command | { kind: 'usage'; problem: string } {
  const name = kind.replace('.', ' ');
  let year: number | null = null;
  let out: string | null = null;
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--'))
      return { kind: 'usage', problem: `${name} 的 ${flag ?? ''} 缺少取值` };
    if (flag === '--year' && /^(19|20)\d{2}$/.test(value)) year = Number(value);
    else if (flag === '--year') return { kind: 'usage', problem: '年份应为四位数字，如 --year 2026' };
    else if (flag === '--out' && /\.xlsx$/i.test(value)) out = value;
    else if (flag === '--out') return { kind: 'usage', problem: '导出文件名应以 .xlsx 结尾' };
    else return { kind: 'usage', problem: `未知选项：${flag ?? ''}` };
  }
  if (year === null) return { kind: 'usage', problem: `${name} 需要 --year <年份>` };
  return { kind, year, out };
}

function parseProposalsExport(rest: readonly string[]): Command | { kind: 'usage'; problem: string } {
  let year: number | null = null;
  let out: string | null = null;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === '--year' && value !== undefined && /^20\d\d$/.test(value)) year = Number(value);
    else if (flag === '--out' && value !== undefined && /\.xlsx$/i.test(value)) out = value;
    else
      return { kind: 'usage', problem: 'proposals export 的用法：--year <年份，如 2026> [--out 文件.xlsx]' };
  }
  if (year === null) return { kind: 'usage', problem: 'proposals export 需要 --year <年份>（如 2026）' };
  return { kind: 'proposals.export', year, out };
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

async function withDatabase(config: Config, use: (db: Database) => Promise<number>): Promise<number> {
  const db = await openDatabase(config.database, createRegistry(createFeatures(config)).changes);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

async function runCommand(command: Command, config: Config, io: Io): Promise<number> {
  switch (command.kind) {
    case 'surveys.list':
    case 'surveys.open':
    case 'surveys.close':
    case 'surveys.results':
    case 'surveys.link':
      return withDatabase(config, (db) => runSurveysCommand(command, config, db, io));
    case 'members.import':
      return withDatabase(config, async (db) => {
        const units = loadUnits(await readUnitsFile(config.flowsDir));
        const result = await importMembers({
          file: command.file,
          members: db.members,
          ...(units !== undefined ? { units } : {}),
        });
        (result.ok ? io.out : io.err)(formatImportReport(result));
        return result.ok ? EXIT_OK : EXIT_BAD_INPUT;
      });
    case 'members.list':
      return withDatabase(config, async (db) => {
        io.out(formatMemberList(await db.members.list()));
        return EXIT_OK;
      });
    case 'notices.export':
      return withDatabase(config, async (db) => {
        const result = await exportNoticeReceipts({ db, noticeId: command.noticeId, out: command.out });
        if (!result.ok) {
          io.err(result.message);
          return EXIT_BAD_INPUT;
        }
        io.out(`已导出 ${result.rows} 条回执：${result.file}`);
        return EXIT_OK;
      });
    case 'sentiment.export':
      return withDatabase(config, async (db) => {
        const result = await exportSentimentRegister({ db, year: command.year, out: command.out });
        io.out(`已导出 ${command.year} 年社情民意 ${result.rows} 篇：${result.file}`);
        return EXIT_OK;
      });
    case 'duties.export':
      return withDatabase(config, async (db) => {
        const result = await exportDuties({
          db,
          year: command.year,
          out: command.out,
          pointsFile: config.dutyPointsFile,
          now: new Date(),
        });
        if (!result.ok) {
          io.err(result.message);
          return EXIT_BAD_INPUT;
        }
        io.out(`已导出 ${command.year} 年 ${result.rows} 位委员的履职档案：${result.file}`);
        return EXIT_OK;
      });
    case 'proposals.export':
      return withDatabase(config, async (db) => {
        const result = await exportProposals({ db, year: command.year, out: command.out });
        io.out(`已导出 ${result.rows} 件提案：${result.file}`);
        return EXIT_OK;
      });
    case 'db.migrate': {
      const database = config.database;
      if (database.kind === 'mysql') {
        await migrateMysql(database.url);
        io.out('MySQL 数据库迁移完成。');
        return EXIT_OK;
      }
      // SQLite applies its migrations whenever it is opened: opening (and closing) it once is the migration.
      return withDatabase(config, async () => {
        io.out(`SQLite 数据库（${database.file}）在每次打开时自动迁移，现已是最新，无需单独执行。`);
        return EXIT_OK;
      });
    }
    default:
      return assertNever(command, 'command');
  }
}

/** Runs one CLI command and returns its exit code; never throws. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  const command = parseArgs(argv);
  if (command.kind === 'usage') {
    io.err(`${command.problem}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  // `help` needs no configuration: a broken .env must not hide the usage text.
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
  try {
    return await runCommand(command, config, io);
  } catch (err) {
    // The operator at the terminal is not a citizen: the technical message helps more than the generic userMessage.
    io.err(err instanceof AppError ? err.message : `出错了：${errorMessage(err)}`);
    return EXIT_BAD_INPUT;
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  const io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
  process.exitCode = await runCli(process.argv.slice(2), process.env, io);
}
