/**
 * `npm run flows:check [dir]`: compiles and lints every flow file (`*.yaml` in the directory and its
 * sub-directories such as `_examples/`, but not the `*.test.yaml` transcripts), prints each problem as
 * `file: path: message`, writes the flow-file JSON Schema to `<dir>/flow.schema.json` for editors
 * (`# yaml-language-server: $schema=./flow.schema.json`), and exits 1 when any file has a problem.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import {
  CONFIG_DIRS,
  isFlowFileName,
  readFaqFile,
  readHolidaysFile,
  readUnitsFile,
  SURVEYS_DIR,
} from '../store/flowFiles.js';
import { parseHolidaysYaml } from '../shared/holidays.js';
import { parseUnitsYaml } from '../features/proposals/index.js';
import { parseFaqYaml } from '../nlu/index.js';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/config.js';
import { checkFlowContracts } from '../core/checkFlowContracts.js';
import { createRegistry, type Registry } from '../core/registry.js';
import { createFeatures } from '../features/index.js';
import { compileFlow, flowJsonSchema, parseFlowYaml, surveyJsonSchema } from '../flows/index.js';
import { existsSync } from 'node:fs';
import type { Problem } from '../flows/index.js';

export interface FlowFileReport {
  /** The file's path as found (dir joined with its name). */
  file: string;
  /** Empty when the file compiles and lints clean and its effects exist and fit. */
  problems: Problem[];
  /** Printed, not failing: e.g. an option that is also a global phrase. */
  warnings: Problem[];
}

/** The features this server runs (their effects and routes are what flows are checked against). */
export function defaultRegistry(): Registry {
  return createRegistry(createFeatures(loadConfig({})));
}

export const SCHEMA_FILE = 'flow.schema.json';

/** Flow files under `dir`, sorted: its own `*.yaml` first, then those of each sub-directory (one level). */
async function flowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const isFlow = isFlowFileName;
  const own = entries
    .filter((e) => e.isFile() && isFlow(e.name))
    .map((e) => join(dir, e.name))
    .sort();
  const nested: string[] = [];
  const subs = entries.filter(
    (e) => e.isDirectory() && !e.name.startsWith('.') && !CONFIG_DIRS.includes(e.name),
  );
  for (const sub of subs.sort()) {
    const names = await readdir(join(dir, sub.name), { withFileTypes: true });
    nested.push(
      ...names
        .filter((e) => e.isFile() && isFlow(e.name))
        .map((e) => join(dir, sub.name, e.name))
        .sort(),
    );
  }
  return [...own, ...nested];
}

/**
 * Compiles and lints every flow file under `dir`, checks its effects against the features' registry (names,
 * payloads, saveAs keys), and reports a flow id used by two files.
 */
export async function checkFlowsDir(
  dir: string,
  registry: Registry = defaultRegistry(),
): Promise<FlowFileReport[]> {
  const reports: FlowFileReport[] = [];
  const ids = new Map<string, string>();
  for (const file of await flowFiles(dir)) {
    const parsed = parseFlowYaml(await readFile(file, 'utf8'));
    const compiled = parsed.ok ? compileFlow(parsed.value) : parsed;
    const problems = compiled.ok ? [] : [...compiled.problems];
    const warnings: Problem[] = [];
    // The examples document the format; their effects belong to the example feature of the tests
    // (test/fixtures/exampleFeature), not to this server.
    if (compiled.ok && !isExample(dir, file)) {
      const contracts = checkFlowContracts(compiled.flow, registry);
      problems.push(...contracts.problems);
      warnings.push(...contracts.warnings);
    }
    if (compiled.ok) {
      const other = ids.get(compiled.flow.id);
      if (other !== undefined)
        problems.push({ path: 'id', message: `流程 id「${compiled.flow.id}」与 ${other} 重复` });
      else ids.set(compiled.flow.id, file);
    }
    reports.push({ file, problems, warnings });
  }
  // The configuration files next to the flows, each checked by its own parser ("path: message" problems).
  const configs = [
    { file: await readFaqFile(dir), parse: parseFaqYaml },
    { file: await readUnitsFile(dir), parse: parseUnitsYaml },
    { file: await readHolidaysFile(dir), parse: parseHolidaysYaml },
  ];
  for (const { file, parse } of configs) {
    if (!file) continue;
    const parsed = parse(file.text);
    const problems = parsed.ok ? [] : parsed.problems.map(splitProblem);
    reports.push({ file: file.file, problems, warnings: [] });
  }
  return reports;
}

function splitProblem(p: string): Problem {
  const at = p.indexOf(': ');
  return at < 0 ? { path: '', message: p } : { path: p.slice(0, at), message: p.slice(at + 2) };
}

function isExample(dir: string, file: string): boolean {
  return relative(dir, file).startsWith('_examples');
}

/**
 * Writes the JSON Schema of the flow-file format next to the flows, and that of the survey format into
 * `<dir>/surveys/` when the directory has surveys; returns the flow schema's path.
 */
export async function writeFlowSchema(dir: string): Promise<string> {
  const path = join(dir, SCHEMA_FILE);
  await writeFile(path, formatJson(flowJsonSchema()), 'utf8');
  const surveys = join(dir, SURVEYS_DIR);
  if (existsSync(surveys))
    await writeFile(join(surveys, SURVEY_SCHEMA_FILE), formatJson(surveyJsonSchema()), 'utf8');
  return path;
}

export const SURVEY_SCHEMA_FILE = 'survey.schema.json';

/**
 * JSON as Prettier prints it (printWidth 110): two-space indent, and arrays of plain values on one line when
 * they fit, so `npm run format:check` accepts the generated file.
 */
export function formatJson(value: unknown, width = 110): string {
  const lines = JSON.stringify(value, null, 2).split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.endsWith('[')) {
      const items: string[] = [];
      let j = i + 1;
      while (
        j < lines.length &&
        /^\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null),?$/.test(lines[j] ?? '')
      ) {
        items.push((lines[j] ?? '').trim().replace(/,$/, ''));
        j++;
      }
      const close = lines[j] ?? '';
      const flat = `${line}${items.join(', ')}${close.trim()}`;
      if (items.length > 0 && /^\s*\],?$/.test(close) && flat.length <= width) {
        out.push(flat);
        i = j;
        continue;
      }
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

/** One line per problem: `file: path: message` (file relative to the working directory). */
export function formatReports(reports: readonly FlowFileReport[], cwd: string): string[] {
  return reports.flatMap((r) =>
    r.problems.map((p) => `${relative(cwd, r.file)}: ${p.path === '' ? '(文件)' : p.path}: ${p.message}`),
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const dir = argv[0] ?? 'flows';
  const cwd = process.cwd();
  let reports: FlowFileReport[];
  try {
    reports = await checkFlowsDir(dir);
  } catch (err) {
    console.error(`无法读取流程目录 ${dir}：${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const schema = await writeFlowSchema(dir);
  const lines = formatReports(reports, cwd);
  for (const line of lines) console.error(line);
  for (const line of formatReports(
    reports.map((r) => ({ ...r, problems: r.warnings })),
    cwd,
  ))
    console.error(`提醒：${line}`);
  const bad = reports.filter((r) => r.problems.length > 0).length;
  if (reports.length === 0) {
    console.error(`${dir} 中没有流程文件。`);
    return 1;
  }
  console.log(
    bad === 0
      ? `${reports.length} 个流程文件检查通过；已写入 ${relative(cwd, schema)}。`
      : `${bad}/${reports.length} 个流程文件有问题（共 ${lines.length} 处）。`,
  );
  return bad === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
