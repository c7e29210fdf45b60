import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlowYaml } from '../../../src/flows/index.js';
import { FLOW_CACHE_FILE, openFlowParseCache } from '../../../src/store/flowParseCache.js';

describe('the flows parse cache in the data directory', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function counting(): { parse: typeof parseFlowYaml; calls: () => number } {
    let n = 0;
    return {
      parse: (text) => {
        n += 1;
        return parseFlowYaml(text);
      },
      calls: () => n,
    };
  }

  it('a restart with the same text parses nothing and gets equal values; an edited text is parsed afresh', () => {
    dir = mkdtempSync(join(tmpdir(), 'xieshang-flowcache-'));
    const a = 'id: a\ntitle: 甲\nsteps: [1, 2.5, true, null]\n';
    const b = 'id: b\ntitle: 乙\n';
    const first = counting();
    const c1 = openFlowParseCache(dir, first.parse);
    const va = c1.parse(a);
    c1.parse(b);
    c1.save();
    expect(first.calls()).toBe(2);

    const second = counting();
    const c2 = openFlowParseCache(dir, second.parse);
    expect(c2.parse(a)).toEqual(va);
    expect(c2.parse(b)).toEqual(parseFlowYaml(b));
    expect(second.calls()).toBe(0);
    expect(c2.parse('id: a\ntitle: 甲（改）\n')).toEqual({ ok: true, value: { id: 'a', title: '甲（改）' } });
    expect(second.calls()).toBe(1);
    c2.save();
    const keys = () => Object.keys(JSON.parse(readFileSync(join(dir, FLOW_CACHE_FILE), 'utf8')) as object);
    expect(keys()).toHaveLength(3);
    // Only what a start used is kept, so edited flows do not pile up.
    const c3 = openFlowParseCache(dir, parseFlowYaml);
    c3.parse(b);
    c3.save();
    expect(keys()).toHaveLength(1);
  });

  it('a corrupt cache file costs only the parse; syntax errors and values JSON cannot carry are not cached', () => {
    dir = mkdtempSync(join(tmpdir(), 'xieshang-flowcache-'));
    writeFileSync(join(dir, FLOW_CACHE_FILE), '{not json');
    const p = counting();
    const cache = openFlowParseCache(dir, p.parse);
    expect(cache.parse('id: x\n')).toEqual({ ok: true, value: { id: 'x' } });
    expect(cache.parse('id: [unclosed\n').ok).toBe(false);
    expect(cache.parse('n: .inf\n')).toEqual({ ok: true, value: { n: Infinity } });
    cache.save();
    const again = counting();
    const reopened = openFlowParseCache(dir, again.parse);
    reopened.parse('id: x\n');
    expect(reopened.parse('id: [unclosed\n').ok).toBe(false);
    expect(reopened.parse('n: .inf\n')).toEqual({ ok: true, value: { n: Infinity } });
    expect(again.calls()).toBe(2);
  });
});
