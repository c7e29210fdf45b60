import type { CompiledFlow, FlowInput } from './types.js';
import { normalizeText } from './parseAnswer.js';

/** Who is typing: staff (工作人员) may start every flow, members only flows whose `audience` is not `staff`. */
export type TriggerRole = 'member' | 'staff';

export interface TriggerOptions {
  role: TriggerRole;
}

/** Whether someone with `role` may start `flow` (the flow-level `audience`, default `all`). */
export function mayStart(flow: CompiledFlow, role: TriggerRole): boolean {
  return (flow.def.audience ?? 'all') === 'all' || role === 'staff';
}

/**
 * The flow a message starts: a text equal to one of a flow's `triggers.keywords` (after normalising width, case,
 * spaces and trailing 。！), or a WeCom menu click whose EventKey is one of its `triggers.menuKeys`.
 * Flows the sender may not start (staff-only flows for a member) are skipped, as if they had no triggers.
 * First match in the order given; null when none.
 */
export function matchTrigger(
  flows: readonly CompiledFlow[],
  input: FlowInput,
  { role }: TriggerOptions,
): string | null {
  const allowed = flows.filter((f) => mayStart(f, role));
  if (input.type === 'click') {
    return allowed.find((f) => (f.def.triggers?.menuKeys ?? []).includes(input.key))?.id ?? null;
  }
  if (input.type !== 'text') return null;
  const text = normalizeText(input.text).toLowerCase();
  if (text === '') return null;
  const hit = allowed.find((f) =>
    (f.def.triggers?.keywords ?? []).some((k) => normalizeText(k).toLowerCase() === text),
  );
  return hit?.id ?? null;
}
