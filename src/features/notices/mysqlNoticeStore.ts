import { assertNever } from '../../shared/errors.js';
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { noticeRecipients, noticeReminders, notices } from './tables.mysql.js';
import type { NoticeChange, NoticeStore } from './ports.js';
import { INSERT_CHUNK, chunks } from '../../store/rows.js';
import { toNotice, toNoticeRecipient, toNoticeReminder } from './rows.js';
import { claimLeased } from '../../store/mysql/claimLeased.js';
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import type { MysqlGuard } from '../../store/mysql/mysqlErrors.js';

/** The notice changes of Database.commit, inside its transaction. */
export async function applyMysqlNoticeChange(db: MysqlDb, change: NoticeChange): Promise<void> {
  switch (change.type) {
    case 'notice.create':
      // `id = id` makes a repeated createKey a no-op without INSERT IGNORE hiding real errors.
      await db
        .insert(notices)
        .values({ ...change.notice, status: 'draft', createdAt: change.at, sentAt: null })
        .onDuplicateKeyUpdate({ set: { id: sql`${notices.id}` } });
      return;
    case 'notice.send': {
      // affectedRows counts matched rows (CLIENT_FOUND_ROWS); the status condition makes a second send match none.
      const [result] = await db
        .update(notices)
        .set({ status: 'sent', sentAt: change.at })
        .where(and(eq(notices.id, change.noticeId), eq(notices.status, 'draft')));
      if (result.affectedRows === 0) return;
      for (const part of chunks(change.recipients, INSERT_CHUNK)) {
        await db
          .insert(noticeRecipients)
          .values(part.map((r) => ({ noticeId: change.noticeId, ...r, delivery: 'pending' as const })))
          .onDuplicateKeyUpdate({ set: { noticeId: sql`${noticeRecipients.noticeId}` } });
      }
      if (change.reminders.length > 0) {
        await db
          .insert(noticeReminders)
          .values(change.reminders.map((r) => ({ noticeId: change.noticeId, ...r })))
          .onDuplicateKeyUpdate({ set: { id: sql`${noticeReminders.id}` } });
      }
      return;
    }
    case 'notice.answer':
      await db
        .update(noticeRecipients)
        .set({ answer: change.answer, reason: change.reason, answeredAt: change.at })
        .where(
          and(eq(noticeRecipients.noticeId, change.noticeId), eq(noticeRecipients.userId, change.userId)),
        );
      return;
    case 'notice.delivery':
      for (const part of chunks(change.userIds, INSERT_CHUNK)) {
        await db
          .update(noticeRecipients)
          .set({ delivery: change.delivery, deliveryError: change.error, deliveredAt: change.at })
          .where(
            and(
              eq(noticeRecipients.noticeId, change.noticeId),
              inArray(noticeRecipients.userId, part),
              // A final result is kept: a batch re-sent after a crash reports the same thing again.
              eq(noticeRecipients.delivery, 'pending'),
            ),
          );
      }
      return;
    case 'notice.reminderDone':
      await db.update(noticeReminders).set({ doneAt: change.at }).where(eq(noticeReminders.id, change.id));
      return;
    default:
      return assertNever(change, 'change');
  }
}

export function createMysqlNotices(db: MysqlDb, guardMysql: MysqlGuard): NoticeStore {
  return {
    get: (id) =>
      guardMysql(async () => {
        const [row] = await db.select().from(notices).where(eq(notices.id, id));
        return row ? toNotice(row) : null;
      }),

    getByCreateKey: (createKey) =>
      guardMysql(async () => {
        const [row] = await db.select().from(notices).where(eq(notices.createKey, createKey));
        return row ? toNotice(row) : null;
      }),

    latestSent: () =>
      guardMysql(async () => {
        const [row] = await db
          .select()
          .from(notices)
          .where(eq(notices.status, 'sent'))
          .orderBy(desc(notices.sentAt), desc(notices.id))
          .limit(1);
        return row ? toNotice(row) : null;
      }),

    listSent: (limit) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(notices)
            .where(eq(notices.status, 'sent'))
            .orderBy(desc(notices.sentAt), desc(notices.id))
            .limit(limit)
        ).map(toNotice),
      ),

    listForMember: (userId, limit) =>
      guardMysql(async () => {
        const rows = await db
          .select({ n: notices })
          .from(notices)
          .innerJoin(noticeRecipients, eq(noticeRecipients.noticeId, notices.id))
          .where(and(eq(noticeRecipients.userId, userId), eq(notices.status, 'sent')))
          .orderBy(desc(notices.sentAt), desc(notices.id))
          .limit(limit);
        return rows.map((r) => toNotice(r.n));
      }),

    recipients: (noticeId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(noticeRecipients)
            .where(eq(noticeRecipients.noticeId, noticeId))
            .orderBy(asc(noticeRecipients.userId))
        ).map(toNoticeRecipient),
      ),

    recipient: (noticeId, userId) =>
      guardMysql(async () => {
        const [row] = await db
          .select()
          .from(noticeRecipients)
          .where(and(eq(noticeRecipients.noticeId, noticeId), eq(noticeRecipients.userId, userId)));
        return row ? toNoticeRecipient(row) : null;
      }),

    reminders: (noticeId) =>
      guardMysql(async () =>
        (
          await db
            .select()
            .from(noticeReminders)
            .where(eq(noticeReminders.noticeId, noticeId))
            .orderBy(asc(noticeReminders.dueAt), asc(noticeReminders.id))
        ).map(toNoticeReminder),
      ),

    claimDueReminders: (now, limit, leaseMs) =>
      guardMysql(async () => {
        const leaseUntil = new Date(now.getTime() + leaseMs);
        const rows = await claimLeased(db, {
          table: noticeReminders,
          due: and(
            isNull(noticeReminders.doneAt),
            lte(noticeReminders.dueAt, now),
            or(isNull(noticeReminders.leaseUntil), lte(noticeReminders.leaseUntil, now)),
          ),
          orderBy: [asc(noticeReminders.dueAt), asc(noticeReminders.id)],
          limit,
          lease: { leaseUntil },
        });
        return rows.map((r) => toNoticeReminder({ ...r, leaseUntil }));
      }),
  };
}
