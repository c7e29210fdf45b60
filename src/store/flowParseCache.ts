import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The flow files' parsed YAML as JSON, in the data directory. */
export const FLOW_CACHE_FILE = 'flow-cache.json';

// The YAML library's version is part of every key: an upgrade that parses differently cannot serve a stale value.
const YAML_VERSION = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;

type Parsed = { ok: true; value: unknown } | { ok: false; problems: unknown[] };

/**
 * Parsing the flows' YAML is most of the start-up's CPU; JSON of the same values reads a hundred times faster. Keyed
 * by a hash of the text, so an edited flow is parsed afresh; a missing, unreadable or corrupt cache only costs the
 * parse. Values that JSON cannot carry exactly (anything but plain objects, arrays, strings, finite numbers, booleans
 * and null) are never cached. Several instances may share the directory: the file is replaced atomically.
 */
export function openFlowParseCache<P extends Parsed>(
  dataDir: string,
  /** The flows' YAML parser. */
  parseText: (text: string) => P,
): {
  /** `parseText`, answered from the cache when this exact text was parsed before. */
  parse(text: string): P;
  /** Writes what this start parsed (only the entries used, so edited flows do not pile up). */
  save(): void;
} {
  const file = join(dataDir, FLOW_CACHE_FILE);
  let stored: Record<string, unknown> = {};
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (json !== null && typeof json === 'object' && !Array.isArray(json))
      stored = json as Record<string, unknown>;
  } catch {
    // absent or unreadable: parse everything
  }
  const used: Record<string, unknown> = {};
  let changed = false;
  return {
    parse(text) {
      const key = createHash('sha256').update(YAML_VERSION).update('\0').update(text).digest('hex');
      if (Object.hasOwn(stored, key)) {
        used[key] = stored[key];
        return { ok: true, value: stored[key] } as P;
      }
      const parsed = parseText(text);
      if (parsed.ok && jsonExact(parsed.value)) {
        used[key] = parsed.value;
        changed = true;
      }
      return parsed;
    },
    save() {
      if (!changed && Object.keys(used).length === Object.keys(stored).length) return;
      try {
        mkdirSync(dataDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(used));
        renameSync(tmp, file);
      } catch {
        // a read-only data directory: the next start parses again
      }
    },
  };
}

function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.entries(value).every(([k, v]) => k !== '__proto__' && jsonExact(v));
  return false;
}
