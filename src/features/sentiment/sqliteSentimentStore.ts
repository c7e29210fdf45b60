import { and, asc, desc, eq, inArray, like, max, or, sql } from 'drizzle-orm';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';
import {
  SentimentRaceError,
  type NewReport,
  type ReportEvent,
  type ReportUpdate,
  type SentimentStore,
} from './ports.js';
import { reportFilterOf } from './reportFilter.js';
import { toReport, toReportEvent } from './rows.js';
import { sentimentEvents as events, sentimentReports as reports } from './tables.sqlite.js';
import type { SentimentState } from './domain/index.js';

/** Change 'sentiment.submit': a second submission with the same key is a no-op. */
export function submitSqliteReport(db: SqliteDb, report: NewReport, actorId: string, at: Date): void {
  const inserted = db
    .insert(reports)
    .values({
      ...report,
      state: 'pending',
      instructions: 0,
      submittedAt: at,
      updatedAt: at,
      lastSeenAt: report.replyTo ? at : null,
    })
    .onConflictDoNothing({ target: reports.submitKey })
    .returning({ id: reports.id })
    .get();
  if (!inserted) return;
  db.insert(events)
    .values({
      reportId: inserted.id,
      seq: 1,
      action: 'submit',
      state: 'pending',
      actorId,
      summary: '提交',
      detail: {},
      tell: 'none',
      at,
    })
    .run();
}

/** Change 'sentiment.act': fails the commit when the report moved meanwhile (or the seq is taken). */
export function actSqliteReport(
  db: SqliteDb,
  c: {
    reportId: number;
    expected: SentimentState;
    update: ReportUpdate;
    event: Omit<ReportEvent, 'reportId' | 'at'>;
    at: Date;
  },
): void {
  const u = c.update;
  const result = db
    .update(reports)
    .set({
      state: u.state,
      level: u.level,
      ...(u.adoptionMode ? { adoptionMode: u.adoptionMode } : {}),
      ...(u.forwardUnit ? { forwardUnit: u.forwardUnit } : {}),
      ...(u.forwardDue ? { forwardDue: u.forwardDue } : {}),
      instructions: sql`${reports.instructions} + ${u.instructionsDelta}`,
      ...(u.clearReplyTo ? { replyTo: null } : {}),
      updatedAt: c.at,
    })
    .where(and(eq(reports.id, c.reportId), eq(reports.state, c.expected)))
    .run();
  if (result.changes === 0) throw new SentimentRaceError(c.reportId);
  db.insert(events)
    .values({ ...c.event, reportId: c.reportId, at: c.at })
    .run();
}

export function toldSqlite(
  db: SqliteDb,
  reportId: number,
  seqs: readonly number[],
  clearReplyTo: boolean,
  at: Date,
): void {
  if (seqs.length > 0)
    db.update(events)
      .set({ tell: 'queued' })
      .where(and(eq(events.reportId, reportId), inArray(events.seq, [...seqs]), eq(events.tell, 'waiting')))
      .run();
  db.update(reports)
    .set({ lastSeenAt: at, ...(clearReplyTo ? { replyTo: null } : {}) })
    .where(eq(reports.id, reportId))
    .run();
}

export function seenSqlite(db: SqliteDb, reporterId: string, at: Date): void {
  db.update(reports).set({ lastSeenAt: at }).where(eq(reports.reporterId, reporterId)).run();
}

export function createSqliteSentiment(db: SqliteDb): SentimentStore {
  return {
    get: (id) =>
      guardSqlite(() => {
        const row = db.select().from(reports).where(eq(reports.id, id)).get();
        return row ? toReport(row) : null;
      }),
    getBySubmitKey: (submitKey) =>
      guardSqlite(() => {
        const row = db.select().from(reports).where(eq(reports.submitKey, submitKey)).get();
        return row ? toReport(row) : null;
      }),
    listForReporter: (reporterId) =>
      guardSqlite(() =>
        db
          .select()
          .from(reports)
          .where(
            or(eq(reports.reporterId, reporterId), like(reports.jointIds, `%${JSON.stringify(reporterId)}%`)),
          )
          .orderBy(desc(reports.submittedAt), desc(reports.id))
          .all()
          .map(toReport)
          .filter((r) => r.reporterId === reporterId || r.jointIds.includes(reporterId)),
      ),
    list: (filter) =>
      guardSqlite(() => {
        const f = reportFilterOf(filter);
        return db
          .select()
          .from(reports)
          .where(
            and(
              f.state ? eq(reports.state, f.state) : undefined,
              f.source ? eq(reports.source, f.source) : undefined,
              f.year ? eq(reports.year, f.year) : undefined,
            ),
          )
          .orderBy(asc(reports.id))
          .all()
          .map(toReport);
      }),
    maxSeq: (year) =>
      guardSqlite(() => {
        const row = db
          .select({ seq: max(reports.seq) })
          .from(reports)
          .where(eq(reports.year, year))
          .get();
        return Number(row?.seq ?? 0);
      }),
    events: (reportId) =>
      guardSqlite(() =>
        db
          .select()
          .from(events)
          .where(eq(events.reportId, reportId))
          .orderBy(asc(events.seq))
          .all()
          .map(toReportEvent),
      ),
    waitingFor: (reporterId) =>
      guardSqlite(() =>
        db
          .select()
          .from(events)
          .innerJoin(reports, eq(reports.id, events.reportId))
          .where(and(eq(reports.reporterId, reporterId), eq(events.tell, 'waiting')))
          .orderBy(asc(events.reportId), asc(events.seq))
          .all()
          .map((r) => ({ report: toReport(r.sentiment_reports), event: toReportEvent(r.sentiment_events) })),
      ),
  };
}
