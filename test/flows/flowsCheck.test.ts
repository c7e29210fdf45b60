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
    expect(reports).toEqual([{ file: join(dir, 'good.yaml'), problems: [] }]);
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
