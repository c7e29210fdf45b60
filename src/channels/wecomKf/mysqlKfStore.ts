import { and, desc, eq, sql } from 'drizzle-orm';
import { WECOM_KF } from '../../core/actor.js';
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import { isMysqlDuplicate, toMysqlStoreError, type MysqlGuard } from '../../store/mysql/mysqlErrors.js';
import type { KfStore } from './ports.js';
import { toKfWindow } from './rows.js';
import { kfCursors, kfPullRequests, kfWindows } from './tables.mysql.js';
import { outbox } from '../../store/mysql/tables.js';

export function createMysqlKfStore(db: MysqlDb, guard: MysqlGuard): KfStore {
  const byKey = (openKfid: string, externalUserid: string) =>
    and(eq(kfWindows.openKfid, openKfid), eq(kfWindows.externalUserid, externalUserid));
  return {
    cursor: (openKfid) =>
      guard(async () => {
        const rows = await db.select().from(kfCursors).where(eq(kfCursors.openKfid, openKfid)).limit(1);
        return rows[0]?.cursor ?? '';
      }),
    advanceCursor: (openKfid, from, to, at) =>
      guard(async () => {
        if (from === '') {
          try {
            await db.insert(kfCursors).values({ openKfid, cursor: to, updatedAt: at });
            return true;
          } catch (err) {
            if (isMysqlDuplicate(err)) return false;
            throw toMysqlStoreError(err);
          }
        }
        // affectedRows counts matched rows (CLIENT_FOUND_ROWS): the cursor condition is the compare of the CAS.
        const [r] = await db
          .update(kfCursors)
          .set({ cursor: to, updatedAt: at })
          .where(and(eq(kfCursors.openKfid, openKfid), eq(kfCursors.cursor, from)));
        return r.affectedRows === 1;
      }),
    requestPull: (openKfid, token, at) =>
      guard(async () => {
        await db
          .insert(kfPullRequests)
          .values({ openKfid, token, requestedAt: at, seq: 1 })
          .onDuplicateKeyUpdate({ set: { token, requestedAt: at, seq: sql`${kfPullRequests.seq} + 1` } });
      }),
    pullRequest: (openKfid) =>
      guard(async () => {
        const rows = await db
          .select()
          .from(kfPullRequests)
          .where(eq(kfPullRequests.openKfid, openKfid))
          .limit(1);
        return rows[0] ?? null;
      }),
    clearPullRequest: (openKfid, seq) =>
      guard(async () => {
        const [r] = await db
          .delete(kfPullRequests)
          .where(and(eq(kfPullRequests.openKfid, openKfid), eq(kfPullRequests.seq, seq)));
        return r.affectedRows === 1;
      }),
    window: (openKfid, externalUserid) =>
      guard(async () => {
        const rows = await db.select().from(kfWindows).where(byKey(openKfid, externalUserid)).limit(1);
        return rows[0] ? toKfWindow(rows[0]) : null;
      }),
    latestWindow: (externalUserid) =>
      guard(async () => {
        const rows = await db
          .select()
          .from(kfWindows)
          .where(eq(kfWindows.externalUserid, externalUserid))
          .orderBy(desc(kfWindows.lastCustomerAt), desc(kfWindows.updatedAt))
          .limit(1);
        return rows[0] ? toKfWindow(rows[0]) : null;
      }),
    insertWindow: (w) =>
      guard(async () => {
        try {
          await db.insert(kfWindows).values({ ...w, version: 0 });
          return true;
        } catch (err) {
          if (isMysqlDuplicate(err)) return false;
          throw err;
        }
      }),
    replaceWindow: (w) =>
      guard(async () => {
        const [r] = await db
          .update(kfWindows)
          .set({
            lastCustomerAt: w.lastCustomerAt,
            sends: w.sends,
            welcomeCode: w.welcomeCode,
            welcomeCodeAt: w.welcomeCodeAt,
            updatedAt: w.updatedAt,
            version: w.version + 1,
          })
          .where(and(byKey(w.openKfid, w.externalUserid), eq(kfWindows.version, w.version)));
        return r.affectedRows === 1;
      }),
    markUndelivered: (f) =>
      guard(async () => {
        const [r] = await db
          .update(outbox)
          .set({ status: 'failed', lastErrcode: null, lastError: f.reason, nextAttemptAt: f.at })
          .where(
            and(eq(outbox.id, f.outboxId), eq(outbox.createdAt, f.createdAt), eq(outbox.channel, WECOM_KF)),
          );
        return r.affectedRows === 1;
      }),
  };
}
