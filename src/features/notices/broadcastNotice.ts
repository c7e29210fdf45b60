import {
  atShanghaiHourOfDay,
  buildNoticeCard,
  noticeTaskId,
  reminderSchedule,
  resolveAudience,
} from './domain/index.js';
import type { Change, Database } from '../../core/ports.js';
import { MAX_RECIPIENTS_PER_SEND } from '../../wecom/limits.js';
import type { Notice } from './ports.js';
import { noticeStore } from './noticeStore.js';

export interface BroadcastSettings {
  /** The card's source line. */
  source: string;
  remindBeforeMs: number;
  morningHour: number;
}

/**
 * Sending a notice: resolves the audience now, stores the recipient list and the reminders, and queues one card
 * per batch of at most 1000 members (message/send's touser limit). Each batch is an outbox row with a fixed dedup
 * key and its own task_id, so whatever happens afterwards (crash, restart, 45009, timeout) a batch is queued once
 * and re-sent byte for byte, which WeCom's duplicate check absorbs. A notice already sent yields no changes.
 */
export async function planBroadcast(
  db: Database,
  notice: Notice,
  settings: BroadcastSettings,
  now: Date,
): Promise<{ ok: true; changes: Change[]; count: number } | { ok: false; reason: string }> {
  if (notice.status === 'sent')
    return { ok: true, changes: [], count: (await noticeStore(db).recipients(notice.id)).length };
  const recipients = resolveAudience(await db.members.list(), notice.audience);
  if (recipients.length === 0) return { ok: false, reason: '发送对象中没有在册的委员' };
  const changes: Change[] = [
    {
      type: 'notice.send',
      noticeId: notice.id,
      recipients,
      reminders: reminderSchedule(notice, {
        now,
        remindBeforeMs: settings.remindBeforeMs,
        morningAt: atShanghaiHourOfDay(notice.startsAt, settings.morningHour),
      }),
      at: now,
    },
  ];
  for (let i = 0; i * MAX_RECIPIENTS_PER_SEND < recipients.length; i++) {
    const batch = recipients.slice(i * MAX_RECIPIENTS_PER_SEND, (i + 1) * MAX_RECIPIENTS_PER_SEND);
    changes.push({
      type: 'outbox.add',
      at: now,
      message: {
        dedupKey: `notice:${notice.id}:card:${i}`,
        toUser: `@notice:${notice.id}:${i}`,
        recipients: batch.map((r) => r.userId),
        noticeId: notice.id,
        message: {
          msgtype: 'template_card',
          template_card: buildNoticeCard(notice, {
            taskId: noticeTaskId(notice.id, i),
            source: settings.source,
          }),
        },
      },
    });
  }
  return { ok: true, changes, count: recipients.length };
}

/** A text to many members, queued as batches of at most 1000 under `keyPrefix` (idempotent per prefix). */
export function textBatches(
  keyPrefix: string,
  userIds: readonly string[],
  content: string,
  now: Date,
  /** The batches' toUser label (default: the key prefix). */
  label = keyPrefix,
): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i * MAX_RECIPIENTS_PER_SEND < userIds.length; i++) {
    changes.push({
      type: 'outbox.add',
      at: now,
      message: {
        dedupKey: `${keyPrefix}:${i}`,
        toUser: `@${label}:${i}`.slice(0, 191),
        recipients: userIds.slice(i * MAX_RECIPIENTS_PER_SEND, (i + 1) * MAX_RECIPIENTS_PER_SEND),
        message: { msgtype: 'text', text: { content } },
      },
    });
  }
  return changes;
}
