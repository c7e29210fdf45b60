import { assertNever } from '../../shared/errors.js';
import { and, asc, desc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { noticeRecipients, noticeReminders, notices } from './tables.sqlite.js';
import type { NoticeChange, NoticeStore } from './ports.js';
import { INSERT_CHUNK, chunks } from '../../store/rows.js';
import { toNotice, toNoticeRecipient, toNoticeReminder } from './rows.js';
import { claimLeased } from '../../store/sqlite/claimLeased.js';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';

/** The notice changes of Database.commit, inside its transaction. */
export function applySqliteNoticeChange(db: SqliteDb, change: NoticeChange): void {
  switch (change.type) {
    case 'notice.create':
      db.insert(notices)
        .values({ ...change.notice, status: 'draft', createdAt: change.at, sentAt: null })
        .onConflictDoNothing({ target: notices.createKey })
        .run();
      return;
    case 'notice.send': {
      const result = db
        .update(notices)
        .set({ status: 'sent', sentAt: change.at })
        .where(and(eq(notices.id, change.noticeId), eq(notices.status, 'draft')))
        .run();
      if (result.changes === 0) return;
      for (const part of chunks(change.recipients, INSERT_CHUNK)) {
        db.insert(noticeRecipients)
          .values(part.map((r) => ({ noticeId: change.noticeId, ...r, delivery: 'pending' as const })))
          .onConflictDoNothing()
          .run();
      }
      if (change.reminders.length > 0) {
        db.insert(noticeReminders)
          .values(change.reminders.map((r) => ({ noticeId: change.noticeId, ...r })))
          .onConflictDoNothing()
          .run();
      }
      return;
    }
    case 'notice.answer':
      db.update(noticeRecipients)
        .set({ answer: change.answer, reason: change.reason, answeredAt: change.at })
        .where(
          and(eq(noticeRecipients.noticeId, change.noticeId), eq(noticeRecipients.userId, change.userId)),
        )
        .run();
      return;
    case 'notice.delivery':
      for (const part of chunks(change.userIds, INSERT_CHUNK)) {
        db.update(noticeRecipients)
          .set({ delivery: change.delivery, deliveryError: change.error, deliveredAt: change.at })
          .where(
            and(
              eq(noticeRecipients.noticeId, change.noticeId),
              inArray(noticeRecipients.userId, part),
              // A final result is kept: a batch re-sent after a crash reports the same thing again.
              eq(noticeRecipients.delivery, 'pending'),
            ),
          )
          .run();
      }
      return;
    case 'notice.reminderDone':
      db.update(noticeReminders).set({ doneAt: change.at }).where(eq(noticeReminders.id, change.id)).run();
      return;
    default:
      return assertNever(change, 'change');
  }
}

export function createSqliteNotices(db: SqliteDb): NoticeStore {
  return {
    get: (id) =>
      guardSqlite(() => {
        const row = db.select().from(notices).where(eq(notices.id, id)).get();
        return row ? toNotice(row) : null;
      }),

    getByCreateKey: (createKey) =>
      guardSqlite(() => {
        const row = db.select().from(notices).where(eq(notices.createKey, createKey)).get();
        return row ? toNotice(row) : null;
      }),

    latestSent: () =>
      guardSqlite(() => {
        const row = db
          .select()
          .from(notices)
          .where(eq(notices.status, 'sent'))
          .orderBy(desc(notices.sentAt), desc(notices.id))
          .limit(1)
          .get();
        return row ? toNotice(row) : null;
      }),

    listSent: (limit) =>
      guardSqlite(() =>
        db
          .select()
          .from(notices)
          .where(eq(notices.status, 'sent'))
          .orderBy(desc(notices.sentAt), desc(notices.id))
          .limit(limit)
          .all()
          .map(toNotice),
      ),

    listForMember: (userId, limit) =>
      guardSqlite(() =>
        db
          .select({ n: notices })
          .from(notices)
          .innerJoin(noticeRecipients, eq(noticeRecipients.noticeId, notices.id))
          .where(and(eq(noticeRecipients.userId, userId), eq(notices.status, 'sent')))
          .orderBy(desc(notices.sentAt), desc(notices.id))
          .limit(limit)
          .all()
          .map((r) => toNotice(r.n)),
      ),

    recipients: (noticeId) =>
      guardSqlite(() =>
        db
          .select()
          .from(noticeRecipients)
          .where(eq(noticeRecipients.noticeId, noticeId))
          .orderBy(asc(noticeRecipients.userId))
          .all()
          .map(toNoticeRecipient),
      ),

    recipient: (noticeId, userId) =>
      guardSqlite(() => {
        const row = db
          .select()
          .from(noticeRecipients)
          .where(and(eq(noticeRecipients.noticeId, noticeId), eq(noticeRecipients.userId, userId)))
          .get();
        return row ? toNoticeRecipient(row) : null;
      }),

    reminders: (noticeId) =>
      guardSqlite(() =>
        db
          .select()
          .from(noticeReminders)
          .where(eq(noticeReminders.noticeId, noticeId))
          .orderBy(asc(noticeReminders.dueAt), asc(noticeReminders.id))
          .all()
          .map(toNoticeReminder),
      ),

    claimDueReminders: (now, limit, leaseMs) =>
      guardSqlite(() => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        return claimLeased(db, {
          table: noticeReminders,
          due: and(
            isNull(noticeReminders.doneAt),
            lte(noticeReminders.dueAt, now),
            or(isNull(noticeReminders.leaseUntil), lte(noticeReminders.leaseUntil, now)),
          ),
          orderBy: [asc(noticeReminders.dueAt), asc(noticeReminders.id)],
          limit,
          lease: { leaseUntil },
        }).map((r) => toNoticeReminder({ ...r, leaseUntil }));
      }),
  };
}
