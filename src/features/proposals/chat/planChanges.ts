import type { Change } from '../../../core/ports.js';
import type { PlanResult } from '../lifecycle/types.js';

/**
 * Everything an allowed action writes, to commit with the turn: the service's changes, and its notifications as
 * outbox rows unless the changes already queue them (same dedupKey).
 */
export function planChanges(plan: Extract<PlanResult, { ok: true }>, at: Date): Change[] {
  const queued = new Set(plan.changes.flatMap((c) => (c.type === 'outbox.add' ? [c.message.dedupKey] : [])));
  return [
    ...plan.changes,
    ...plan.notifications
      .filter((n) => !queued.has(n.dedupKey))
      .map((message): Change => ({ type: 'outbox.add', message, at })),
  ];
}
