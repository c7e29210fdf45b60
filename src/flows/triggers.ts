import type { CompiledFlow, FlowInput } from './types.js';
import { normalizeText } from './parseAnswer.js';

/**
 * Who is typing: staff (工作人员) may start every flow but the units' own; members only `all` flows; 承办单位 contacts
 * (unit) `all` flows and the units' flows. Any other directory role is treated as a member.
 */
export type TriggerRole = 'member' | 'staff' | 'unit' | (string & {});

export interface TriggerOptions {
  role: TriggerRole;
}

/** Whether someone with `role` may start `flow` (the flow-level `audience`, default `all`). */
export function mayStart(flow: CompiledFlow, role: TriggerRole): boolean {
  const audience = flow.def.audience ?? 'all';
  return audience === 'all' || audience === role;
}

/**
 * The flow a message starts: a text equal to one of a flow's `triggers.keywords` (after normalising width, case,
 * spaces and trailing 。！), or a WeCom menu click whose EventKey is one of its `triggers.menuKeys`.
 * Flows the sender may not start (staff-only flows for a member) are skipped, as if they had no triggers.
 * For staff, a staff-audience flow wins over an all-audience one with the same keyword or menu key (帮助 shows
 * staff their own menu, help_staff.yaml); otherwise the first match in the order given; null when none.
 */
export function matchTrigger(
  flows: readonly CompiledFlow[],
  input: FlowInput,
  { role }: TriggerOptions,
): string | null {
  const allowed = flows.filter((f) => mayStart(f, role));
  const preferred = (hits: CompiledFlow[]): string | null =>
    ((role === 'staff' ? hits.find((f) => f.def.audience === 'staff') : undefined) ?? hits[0])?.id ?? null;
  if (input.type === 'click') {
    return preferred(allowed.filter((f) => (f.def.triggers?.menuKeys ?? []).includes(input.key)));
  }
  if (input.type !== 'text') return null;
  const text = normalizeText(input.text).toLowerCase();
  if (text === '') return null;
  return preferred(
    allowed.filter((f) =>
      (f.def.triggers?.keywords ?? []).some((k) => normalizeText(k).toLowerCase() === text),
    ),
  );
}
