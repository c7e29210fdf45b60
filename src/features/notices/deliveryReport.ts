import type { DeliveryReport } from '../../core/feature.js';
import type { Change } from '../../core/ports.js';

/** A notice batch's per-recipient delivery, recorded in the same commit as the outbox row's fate. */
export function noticeDeliveryChanges(report: DeliveryReport): Change[] {
  const noticeId = report.item.noticeId;
  if (noticeId === undefined) return [];
  const changes: Change[] = [];
  if (report.delivered.length > 0)
    changes.push({
      type: 'notice.delivery',
      noticeId,
      userIds: report.delivered,
      delivery: 'sent',
      error: null,
      at: report.at,
    });
  for (const f of report.failed)
    if (f.userIds.length > 0)
      changes.push({
        type: 'notice.delivery',
        noticeId,
        userIds: f.userIds,
        delivery: 'failed',
        error: f.error.slice(0, 255),
        at: report.at,
      });
  return changes;
}
