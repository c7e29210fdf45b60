import type { CompiledFlow, FlowInput } from './types.js';
import { normalizeText } from './parseAnswer.js';

/**
 * The flow a message starts: a text equal to one of a flow's `triggers.keywords` (after normalising width, case,
 * spaces and trailing 。！), or a WeCom menu click whose EventKey is one of its `triggers.menuKeys`.
 * First match in the order given; null when none.
 */
export function matchTrigger(flows: readonly CompiledFlow[], input: FlowInput): string | null {
  if (input.type === 'click') {
    return flows.find((f) => (f.def.triggers?.menuKeys ?? []).includes(input.key))?.id ?? null;
  }
  if (input.type !== 'text') return null;
  const text = normalizeText(input.text).toLowerCase();
  if (text === '') return null;
  const hit = flows.find((f) =>
    (f.def.triggers?.keywords ?? []).some((k) => normalizeText(k).toLowerCase() === text),
  );
  return hit?.id ?? null;
}
