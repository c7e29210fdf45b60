import { matchTrigger, type CompiledFlow, type FlowInput, type TriggerRole } from '../flows/index.js';

/**
 * The flow a message starts by keyword: the keyword alone, or a keyword followed by a space or colon and more text
 * (「查提案 12」), whose rest the caller may pass to the flow's first question. Null when no keyword matches.
 */
export function findTrigger(
  flows: readonly CompiledFlow[],
  input: FlowInput,
  role: TriggerRole,
): { flowId: string; rest: string | null } | null {
  const id = matchTrigger(flows, input, { role });
  if (id) return { flowId: id, rest: null };
  if (input.type !== 'text') return null;
  const split = /^(\S+?)\s*[\s:：]\s*(\S.*)$/s.exec(input.text.trim());
  if (!split) return null;
  const head = matchTrigger(flows, { type: 'text', text: split[1]! }, { role });
  return head ? { flowId: head, rest: split[2]!.trim() } : null;
}
