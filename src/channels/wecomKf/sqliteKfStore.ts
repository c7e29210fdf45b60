import { and, desc, eq, sql } from 'drizzle-orm';
import { WECOM_KF } from '../../core/actor.js';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite, isSqliteUniqueViolation, toSqliteStoreError } from '../../store/sqlite/sqliteErrors.js';
import type { KfStore } from './ports.js';
import { toKfWindow } from './rows.js';
import { kfCursors, kfPullRequests, kfWindows } from './tables.sqlite.js';
import { outbox } from '../../store/sqlite/tables.js';

export function createSqliteKfStore(db: SqliteDb): KfStore {
  const byKey = (openKfid: string, externalUserid: string) =>
    and(eq(kfWindows.openKfid, openKfid), eq(kfWindows.externalUserid, externalUserid));
  return {
    cursor: (openKfid) =>
      guardSqlite(
        () => db.select().from(kfCursors).where(eq(kfCursors.openKfid, openKfid)).get()?.cursor ?? '',
      ),
    advanceCursor: (openKfid, from, to, at) =>
      guardSqlite(() => {
        if (from === '') {
          const r = db
            .insert(kfCursors)
            .values({ openKfid, cursor: to, updatedAt: at })
            .onConflictDoNothing()
            .run();
          return r.changes === 1;
        }
        const r = db
          .update(kfCursors)
          .set({ cursor: to, updatedAt: at })
          .where(and(eq(kfCursors.openKfid, openKfid), eq(kfCursors.cursor, from)))
          .run();
        return r.changes === 1;
      }),
    requestPull: (openKfid, token, at) =>
      guardSqlite(() => {
        db.insert(kfPullRequests)
          .values({ openKfid, token, requestedAt: at, seq: 1 })
          .onConflictDoUpdate({
            target: kfPullRequests.openKfid,
            set: { token, requestedAt: at, seq: sql`${kfPullRequests.seq} + 1` },
          })
          .run();
      }),
    pullRequest: (openKfid) =>
      guardSqlite(
        () => db.select().from(kfPullRequests).where(eq(kfPullRequests.openKfid, openKfid)).get() ?? null,
      ),
    clearPullRequest: (openKfid, seq) =>
      guardSqlite(() => {
        const r = db
          .delete(kfPullRequests)
          .where(and(eq(kfPullRequests.openKfid, openKfid), eq(kfPullRequests.seq, seq)))
          .run();
        return r.changes === 1;
      }),
    window: (openKfid, externalUserid) =>
      guardSqlite(() => {
        const row = db.select().from(kfWindows).where(byKey(openKfid, externalUserid)).get();
        return row ? toKfWindow(row) : null;
      }),
    latestWindow: (externalUserid) =>
      guardSqlite(() => {
        const row = db
          .select()
          .from(kfWindows)
          .where(eq(kfWindows.externalUserid, externalUserid))
          .orderBy(desc(kfWindows.lastCustomerAt), desc(kfWindows.updatedAt))
          .limit(1)
          .get();
        return row ? toKfWindow(row) : null;
      }),
    async insertWindow(w) {
      try {
        db.insert(kfWindows)
          .values({ ...w, version: 0 })
          .run();
        return true;
      } catch (err) {
        if (isSqliteUniqueViolation(err)) return false;
        throw toSqliteStoreError(err);
      }
    },
    replaceWindow: (w) =>
      guardSqlite(() => {
        const r = db
          .update(kfWindows)
          .set({
            lastCustomerAt: w.lastCustomerAt,
            sends: w.sends,
            welcomeCode: w.welcomeCode,
            welcomeCodeAt: w.welcomeCodeAt,
            updatedAt: w.updatedAt,
            version: w.version + 1,
          })
          .where(and(byKey(w.openKfid, w.externalUserid), eq(kfWindows.version, w.version)))
          .run();
        return r.changes === 1;
      }),
    markUndelivered: (f) =>
      guardSqlite(() => {
        const r = db
          .update(outbox)
          .set({ status: 'failed', lastErrcode: null, lastError: f.reason, nextAttemptAt: f.at })
          .where(
            and(eq(outbox.id, f.outboxId), eq(outbox.createdAt, f.createdAt), eq(outbox.channel, WECOM_KF)),
          )
          .run();
        return r.changes === 1;
      }),
  };
}
