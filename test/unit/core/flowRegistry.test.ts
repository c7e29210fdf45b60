import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlowRegistry as createRegistryWith } from '../../../src/core/flowRegistry.js';
import { compileFlow, hashFlowDef } from '../../../src/flows/index.js';
import { baseDef } from '../flows/helpers.js';

// Counts compiles: the registry must look a pinned definition up by its hash before compiling it.
const compiles = vi.fn(compileFlow);
const createFlowRegistry = (files: { file: string; text: string }[]) => createRegistryWith(files, compiles);

const MINI_YAML = `schemaVersion: 1
id: mini
version: 1
title: 测试
fields: { name: { label: 姓名 } }
start: ask_name
steps:
  - { id: ask_name, type: ask, field: name, prompt: 请输入姓名 }
  - { id: done, type: end, text: "完成，{{name}}" }
`;

/** The definition as a conversation row holds it: JSON round-tripped, keys in whatever order. */
const stored = (def: unknown): unknown => JSON.parse(JSON.stringify(def));

beforeEach(() => {
  compiles.mockClear();
});

describe('hashFlowDef', () => {
  it('equals the compiled hash and ignores key order', () => {
    const def = baseDef();
    const compiled = compileFlow(def);
    expect(compiled.ok && compiled.flow.hash).toBe(hashFlowDef(def));
    const reordered = Object.fromEntries(Object.entries(def).reverse());
    expect(hashFlowDef(reordered)).toBe(hashFlowDef(def));
    expect(hashFlowDef({ ...def, title: '另一个' })).not.toBe(hashFlowDef(def));
  });
});

describe('pinned', () => {
  it('a definition equal to a loaded flow returns that flow, without compiling again', () => {
    const registry = createFlowRegistry([{ file: 'mini.yaml', text: MINI_YAML }]);
    const loaded = registry.get('mini');
    expect(loaded).not.toBeNull();
    compiles.mockClear();
    const def = stored(loaded!.def);
    expect(registry.pinned(def)).toBe(loaded);
    expect(registry.pinned(Object.fromEntries(Object.entries(def as object).reverse()))).toBe(loaded);
    expect(compiles).not.toHaveBeenCalled();
  });

  it('another definition (an older version) is compiled once, then found by its hash', () => {
    const registry = createFlowRegistry([{ file: 'mini.yaml', text: MINI_YAML }]);
    compiles.mockClear();
    const older = { ...baseDef(), title: '旧版' };
    const first = registry.pinned(stored(older));
    expect(first?.def.title).toBe('旧版');
    expect(first).not.toBe(registry.get('mini'));
    expect(registry.pinned(stored(older))).toBe(first);
    expect(compiles).toHaveBeenCalledTimes(1);
  });

  it('a definition that no longer compiles is null, and is not recompiled every turn', () => {
    const registry = createFlowRegistry([]);
    compiles.mockClear();
    const broken = { ...baseDef(), start: 'nowhere' };
    expect(registry.pinned(broken)).toBeNull();
    expect(registry.pinned(stored(broken))).toBeNull();
    expect(registry.pinned(undefined)).toBeNull();
    expect(compiles).toHaveBeenCalledTimes(2);
  });
});
