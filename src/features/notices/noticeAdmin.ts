import { randomUUID } from 'node:crypto';
import { validateNoticeInput, type NoticeInput, type NoticeProblem } from './domain/index.js';
import type { Database } from '../../core/ports.js';
import { planBroadcast, type BroadcastSettings } from './broadcastNotice.js';
import { createNotice } from './createNotice.js';
import { noticeReceipts, type NoticeReceipts } from './noticeReceipts.js';
import { planNonResponderReminder } from './reminders.js';
import { noticeStore } from './noticeStore.js';

/** The admin API's use-cases (adminRoutes.ts calls these; it never touches the store). */
export interface NoticeAdmin {
  /** The field rules at the admin's clock (not the roster), so a 400 can list them alongside shape problems. */
  checkFields(input: NoticeInput): NoticeProblem[];
  create(
    input: NoticeInput & { createdBy?: unknown },
    idempotencyKey: string | null,
  ): Promise<{ ok: true; id: number } | { ok: false; problems: NoticeProblem[] }>;
  send(id: number): Promise<'notFound' | { ok: true; count: number } | { ok: false; reason: string }>;
  remind(id: number, idempotencyKey: string | null): Promise<'notFound' | 'notSent' | { count: number }>;
  receipts(id: number): Promise<NoticeReceipts | null>;
}

export function createNoticeAdmin(deps: {
  db: Database;
  now: () => Date;
  settings: BroadcastSettings;
  /** Wakes the sender after messages were queued. */
  onQueued?: () => void;
}): NoticeAdmin {
  const { db } = deps;
  return {
    checkFields(input) {
      const checked = validateNoticeInput(input, deps.now());
      return checked.ok ? [] : checked.problems;
    },

    async create(input, idempotencyKey) {
      const now = deps.now();
      let createdBy = 'admin';
      if (input.createdBy !== undefined) {
        const staff = typeof input.createdBy === 'string' ? await db.members.get(input.createdBy) : null;
        if (!staff || staff.role !== 'staff' || !staff.active)
          return {
            ok: false,
            problems: [{ field: 'createdBy', message: 'createdBy 应为在册工作人员的账号' }],
          };
        createdBy = staff.userId;
      }
      const createKey = `admin:${idempotencyKey ?? randomUUID()}`;
      const r = await createNotice(db, { input, createdBy, createKey, now });
      return r.ok ? { ok: true, id: r.notice.id } : r;
    },

    async send(id) {
      const notice = await noticeStore(db).get(id);
      if (!notice) return 'notFound';
      const planned = await planBroadcast(db, notice, deps.settings, deps.now());
      if (!planned.ok) return planned;
      await db.commit(planned.changes);
      deps.onQueued?.();
      return { ok: true, count: planned.count };
    },

    async remind(id, idempotencyKey) {
      const notice = await noticeStore(db).get(id);
      if (!notice) return 'notFound';
      if (notice.status !== 'sent') return 'notSent';
      const now = deps.now();
      const key = `admin:${idempotencyKey ?? String(now.getTime())}`;
      const planned = await planNonResponderReminder(db, notice, key, now);
      await db.commit(planned.changes);
      deps.onQueued?.();
      return { count: planned.count };
    },

    receipts: (id) => noticeReceipts(db, id),
  };
}
