import { compileFlow, parseFlowYaml, type CompiledFlow, type FlowDef } from '../flows/index.js';
import { AppError } from '../shared/errors.js';

export interface FlowRegistry {
  readonly flows: readonly CompiledFlow[];
  get(id: string): CompiledFlow | null;
  /** Compiles a definition a conversation was pinned to (cached by content hash). */
  pinned(def: unknown): CompiledFlow | null;
}

/**
 * Compiles the flow files once at start. A flow file with problems stops start-up with every problem named:
 * a broken flow must never reach a member.
 */
export function createFlowRegistry(files: readonly { file: string; text: string }[]): FlowRegistry {
  const problems: string[] = [];
  const flows: CompiledFlow[] = [];
  for (const { file, text } of files) {
    const parsed = parseFlowYaml(text);
    const compiled = parsed.ok ? compileFlow(parsed.value) : parsed;
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
  const byHash = new Map(flows.map((f) => [f.hash, f]));
  return {
    flows,
    get: (id) => byId.get(id) ?? null,
    pinned(def) {
      const compiled = compileFlow(def);
      if (!compiled.ok) return null;
      const known = byHash.get(compiled.flow.hash);
      if (known) return known;
      byHash.set(compiled.flow.hash, compiled.flow);
      return compiled.flow;
    },
  };
}

export type { FlowDef };
