import type { Feature } from '../../core/feature.js';
import type { BroadcastSettings } from './broadcastNotice.js';
import { noticeChanges } from './changes.js';
import { noticeDeliveryChanges } from './deliveryReport.js';
import { DEFAULT_BROADCAST_SETTINGS, noticeEffects } from './effects.js';
import { createReminderPoller } from './reminders.js';
import { noticeAdminRoutes } from './adminRoutes.js';
import { createNoticeAdmin } from './noticeAdmin.js';
import { noticeCardTapRoute, noticeTextAnswerRoute } from './routes.js';
import { pendingNotices } from './pendingNotices.js';

export interface NoticeSettings extends BroadcastSettings {
  /** How often the reminder poller looks for due reminders. */
  reminderPollMs: number;
}

/**
 * 协商通知: staff broadcast a notice as a card with 参加 / 请假, members answer with a tap or by typing, staff see the
 * receipts and remind who has not answered.
 */
export function createNoticesFeature(
  settings: NoticeSettings = { ...DEFAULT_BROADCAST_SETTINGS, reminderPollMs: 30_000 },
): Feature {
  return {
    name: 'notices',
    changes: noticeChanges,
    effects: noticeEffects(settings),
    routes: [noticeCardTapRoute, noticeTextAnswerRoute],
    pollers: (rt) => [
      createReminderPoller({
        db: rt.db,
        clock: rt.clock,
        logger: rt.logger.child({ component: 'reminders' }),
        pollMs: settings.reminderPollMs,
        source: settings.source,
        onQueued: rt.wakeSender,
      }),
    ],
    adminRoutes: (rt) =>
      noticeAdminRoutes(
        createNoticeAdmin({ db: rt.db, now: () => rt.clock.now(), settings, onQueued: rt.wakeSender }),
      ),
    onDelivery: noticeDeliveryChanges,
    pending: pendingNotices,
  };
}

export type { BroadcastSettings };
export { noticeStore } from './noticeStore.js';
export { parseNoticeCheckinKey } from './domain/index.js';
export { noticesNamed } from './textAnswer.js';
export { createNoticeAdmin, type NoticeAdmin } from './noticeAdmin.js';
