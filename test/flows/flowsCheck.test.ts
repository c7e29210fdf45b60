import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFlowsDir, formatJson, formatReports } from '../../src/cli/flowsCheck.js';

const GOOD = `schemaVersion: 1
id: good
version: 1
title: 好流程
fields: { name: { label: 姓名 } }
start: ask_name
steps:
  - { id: ask_name, type: ask, field: name, prompt: 请输入姓名 }
  - { id: done, type: end, text: 完成 }
`;
/** A dangling next, and a prompt-less question. */
const BROKEN = `schemaVersion: 1
id: broken
version: 1
title: 坏流程
fields: { name: { label: 姓名 } }
start: ask_name
steps:
  - { id: ask_name, type: ask, field: name, next: nowhere }
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flows-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkFlowsDir', () => {
  it('reports nothing for clean files and skips transcripts', async () => {
    await writeFile(join(dir, 'good.yaml'), GOOD);
    await writeFile(join(dir, 'good.test.yaml'), 'flow: good\ncases: []\n');
    const reports = await checkFlowsDir(dir);
    expect(reports).toEqual([{ file: join(dir, 'good.yaml'), problems: [], warnings: [] }]);
  });

  it('reports each problem of a broken file, YAML errors, sub-directories and duplicate ids', async () => {
    await writeFile(join(dir, 'a.yaml'), GOOD);
    await writeFile(join(dir, 'b.yaml'), BROKEN);
    await writeFile(join(dir, 'c.yaml'), 'id: [unclosed\n');
    await mkdir(join(dir, '_examples'));
    await writeFile(join(dir, '_examples', 'copy.yaml'), GOOD);
    const reports = await checkFlowsDir(dir);
    expect(reports.map((r) => r.file)).toEqual(
      ['a.yaml', 'b.yaml', 'c.yaml', '_examples/copy.yaml'].map((f) => join(dir, f)),
    );
    const lines = formatReports(reports, dir);
    expect(lines).toEqual(
      expect.arrayContaining([
        'b.yaml: steps.ask_name: 指向不存在的步骤「nowhere」（next）',
        'b.yaml: steps.ask_name.prompt: 缺少提示语',
        expect.stringMatching(/^c\.yaml: \(文件\): YAML 语法错误/),
        `_examples/copy.yaml: id: 流程 id「good」与 ${join(dir, 'a.yaml')} 重复`,
      ]),
    );
    expect(lines.some((l) => l.startsWith('a.yaml'))).toBe(false);
  });
});

/** Effects and options checked against the features' registry (the real one of this server). */
const CONTRACTS = `schemaVersion: 1
id: contracts
version: 1
title: 契约
fields:
  query: { label: 查询 }
  found: { label: 结果 }
  answer: { label: 回答 }
start: ask_answer
steps:
  - id: ask_answer
    type: choice
    field: answer
    prompt: 请选择
    options:
      - { value: go, label: 参加 }
      - { value: no, label: 不去 }
  - { id: ask_query, type: ask, field: query, prompt: 请输入 }
  - id: find
    type: action
    effect: proposal.find
    payload: { query: '{{query}}', extra: '1' }
    saveAs: { found: found, query: nosuchkey }
  - id: nothing
    type: action
    effect: proposal.nothing
  - { id: done, type: end, text: 完成 }
`;

describe('checkFlowsDir against the features (effects, payloads, saveAs, global phrases)', () => {
  it('fails on an unknown effect, a payload the schema refuses and a saveAs key the result lacks; warns on a global phrase', async () => {
    await writeFile(join(dir, 'contracts.yaml'), CONTRACTS);
    const [report] = await checkFlowsDir(dir);
    expect(report?.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/效果「proposal.find」不接受这个参数/),
      '效果「proposal.find」的结果没有「nosuchkey」（只有 found、text）',
      '没有任何功能提供效果「proposal.nothing」',
    ]);
    expect(report?.problems.map((p) => p.path)).toEqual([
      'steps.2(find).payload',
      'steps.2(find).saveAs.query',
      'steps.3(nothing).effect',
    ]);
    expect(report?.warnings).toEqual([
      {
        path: 'steps.0(ask_answer).options(go)',
        message: expect.stringMatching(/选项「参加」也是全局短语（notice.textAnswer）/),
      },
    ]);
  });

  it('passes the shipped flows', async () => {
    const reports = await checkFlowsDir('flows');
    expect(reports.flatMap((r) => r.problems)).toEqual([]);
  });
});

describe('formatJson', () => {
  it('puts short arrays of plain values on one line, like Prettier', () => {
    expect(formatJson({ a: ['x', 'y'], b: [{ c: 1 }], d: [] })).toBe(
      '{\n  "a": ["x", "y"],\n  "b": [\n    {\n      "c": 1\n    }\n  ],\n  "d": []\n}\n',
    );
  });
});

describe('npm run flows:check', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = (target: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/flowsCheck.ts', target], {
      cwd: root,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('exits 1 and prints file: path: message for a broken flow; writes the schema', async () => {
    await writeFile(join(dir, 'b.yaml'), BROKEN);
    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('b.yaml: steps.ask_name: 指向不存在的步骤「nowhere」（next）');
    const schema = JSON.parse(await readFile(join(dir, 'flow.schema.json'), 'utf8')) as { type?: string };
    expect(schema.type).toBe('object');
  });

  it('exits 0 for clean flows', async () => {
    await writeFile(join(dir, 'good.yaml'), GOOD);
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 个流程文件检查通过');
  });
});
