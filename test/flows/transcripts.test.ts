import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFlowFileName } from '../../src/store/flowFiles.js';
import { parse } from 'yaml';
import { compileFlow, parseFlowYaml } from '../../src/flows/index.js';
import type { CompiledFlow } from '../../src/flows/index.js';
import { playCase, TranscriptFileSchema } from './transcript.js';

const FLOWS = fileURLToPath(new URL('../../flows/', import.meta.url));

const yamlIn = (dir: string) =>
  readdirSync(dir)
    .filter(isFlowFileName)
    .sort()
    .map((n) => join(dir, n));

const SURVEYS = join(FLOWS, 'surveys');
const flowFiles = [...yamlIn(FLOWS), ...yamlIn(join(FLOWS, '_examples')), ...yamlIn(SURVEYS)];
const testsIn = (dir: string, prefix: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.test.yaml'))
    .sort()
    .map((n) => `${prefix}${n}`);
const testFiles = [...testsIn(FLOWS, ''), ...testsIn(SURVEYS, 'surveys/')];

function compile(path: string): CompiledFlow {
  const parsed = parseFlowYaml(readFileSync(path, 'utf8'));
  const r = parsed.ok ? compileFlow(parsed.value) : parsed;
  if (!r.ok) throw new Error(`${path}:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return r.flow;
}

describe('flow files compile and lint clean', () => {
  it.each(flowFiles.map((f) => [f.slice(FLOWS.length)]))('%s', (name) => {
    expect(() => compile(join(FLOWS, name))).not.toThrow();
  });

  it('every flow in flows/ has a transcript file, and flow ids are unique', () => {
    const ids = flowFiles.map((f) => compile(f).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of [...yamlIn(FLOWS), ...yamlIn(SURVEYS)])
      expect(testFiles).toContain(f.slice(FLOWS.length).replace(/\.yaml$/, '.test.yaml'));
  });
});

const flowsById = new Map(flowFiles.map((f) => compile(f)).map((f) => [f.id, f]));

for (const name of testFiles) {
  const file = TranscriptFileSchema.parse(parse(readFileSync(join(FLOWS, name), 'utf8')));
  describe(`transcripts ${name}`, () => {
    const flow = flowsById.get(file.flow);
    it('names a known flow and unique cases', () => {
      expect(flow, `no flow with id ${file.flow}`).toBeDefined();
      const names = file.cases.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
    });
    for (const c of file.cases) {
      it(c.name, () => {
        if (flow === undefined) return;
        const failures = playCase(flow, file, c);
        expect(failures.map((f) => `turn ${f.turn}: ${f.message}`).join('\n')).toBe('');
      });
    }
  });
}
