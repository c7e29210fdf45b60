import { compileFlow, hashFlowDef, parseFlowYaml, type CompiledFlow, type FlowDef } from '../flows/index.js';
import { AppError } from '../shared/errors.js';

export interface FlowRegistry {
  readonly flows: readonly CompiledFlow[];
  get(id: string): CompiledFlow | null;
  /**
   * The compiled flow of a definition a conversation was pinned to, or null when it no longer compiles. Looked up
   * by content hash first: a conversation on a loaded flow (the usual case, every turn) costs a hash, not a compile.
   */
  pinned(def: unknown): CompiledFlow | null;
}

/**
 * Compiles the flow files once at start. A flow file with problems stops start-up with every problem named:
 * a broken flow must never reach a member.
 */
export function createFlowRegistry(
  files: readonly { file: string; text: string }[],
  /** The compiler (tests pass a counting one). */
  compile: typeof compileFlow = compileFlow,
  /** The YAML parser (the server passes one backed by the data directory's cache). */
  parse: typeof parseFlowYaml = parseFlowYaml,
): FlowRegistry {
  const problems: string[] = [];
  const flows: CompiledFlow[] = [];
  for (const { file, text } of files) {
    const parsed = parse(text);
    const compiled = parsed.ok ? compile(parsed.value) : parsed;
    if (!compiled.ok) {
      for (const p of compiled.problems) problems.push(`${file}: ${p.path}: ${p.message}`);
      continue;
    }
    flows.push(compiled.flow);
  }
  if (problems.length > 0) {
    throw new AppError({
      code: 'flow_invalid',
      message: `flow files have problems:\n${problems.join('\n')}`,
    });
  }
  const byId = new Map(flows.map((f) => [f.id, f]));
  // Also remembers definitions that did not compile (null), so a broken pinned copy is not recompiled every turn.
  // Bounded by the flow versions ever deployed: a definition only gets here from a row this app wrote.
  const byHash = new Map<string, CompiledFlow | null>(flows.map((f) => [f.hash, f]));
  return {
    flows,
    get: (id) => byId.get(id) ?? null,
    pinned(def) {
      const hash = hashFlowDef(def);
      const known = byHash.get(hash);
      if (known !== undefined) return known;
      const compiled = compile(def);
      const flow = compiled.ok ? compiled.flow : null;
      byHash.set(hash, flow);
      return flow;
    },
  };
}

export type { FlowDef };
