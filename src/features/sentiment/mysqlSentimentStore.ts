import { and, asc, desc, eq, inArray, like, max, or, sql } from 'drizzle-orm';
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import { isMysqlDuplicate, type MysqlGuard } from '../../store/mysql/mysqlErrors.js';
import {
  SentimentRaceError,
  type NewReport,
  type ReportEvent,
  type ReportUpdate,
  type SentimentStore,
} from './ports.js';
import { reportFilterOf } from './reportFilter.js';
import { toReport, toReportEvent } from './rows.js';
import { sentimentEvents as events, sentimentReports as reports } from './tables.mysql.js';
import type { SentimentState } from './domain/index.js';

/**
 * Change 'sentiment.submit'. A plain insert; on ER_DUP_ENTRY a locking read tells the keys apart: the submit_key row
 * exists → an earlier submission won, a no-op; otherwise it was (year, seq) → rethrow (see mysqlProposalStore.ts).
 */
export async function submitMysqlReport(
  db: MysqlDb,
  report: NewReport,
  actorId: string,
  at: Date,
): Promise<void> {
  let reportId: number;
  try {
    const [inserted] = await db
      .insert(reports)
      .values({
        ...report,
        state: 'pending',
        instructions: 0,
        submittedAt: at,
        updatedAt: at,
        lastSeenAt: report.replyTo ? at : null,
      })
      .$returningId();
    if (!inserted) throw new Error('report insert returned no id');
    reportId = inserted.id;
  } catch (err) {
    if (!isMysqlDuplicate(err)) throw err;
    const [rows] = await db.execute(
      sql`SELECT ${reports.id} FROM ${reports} WHERE ${reports.submitKey} = ${report.submitKey} LOCK IN SHARE MODE`,
    );
    if (Array.isArray(rows) && rows.length > 0) return;
    throw err;
  }
  await db.insert(events).values({
    reportId,
    seq: 1,
    action: 'submit',
    state: 'pending',
    actorId,
    summary: '提交',
    detail: {},
    tell: 'none',
    at,
  });
}

export async function actMysqlReport(
  db: MysqlDb,
  c: {
    reportId: number;
    expected: SentimentState;
    update: ReportUpdate;
    event: Omit<ReportEvent, 'reportId' | 'at'>;
    at: Date;
  },
): Promise<void> {
  const u = c.update;
  const [result] = await db
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
    .where(and(eq(reports.id, c.reportId), eq(reports.state, c.expected)));
  if (result.affectedRows === 0) throw new SentimentRaceError(c.reportId);
  await db.insert(events).values({ ...c.event, reportId: c.reportId, at: c.at });
}

export async function toldMysql(
  db: MysqlDb,
  reportId: number,
  seqs: readonly number[],
  clearReplyTo: boolean,
  at: Date,
): Promise<void> {
  if (seqs.length > 0)
    await db
      .update(events)
      .set({ tell: 'queued' })
      .where(and(eq(events.reportId, reportId), inArray(events.seq, [...seqs]), eq(events.tell, 'waiting')));
  await db
    .update(reports)
    .set({ lastSeenAt: at, ...(clearReplyTo ? { replyTo: null } : {}) })
    .where(eq(reports.id, reportId));
}

export async function seenMysql(db: MysqlDb, reporterId: string, at: Date): Promise<void> {
  await db.update(reports).set({ lastSeenAt: at }).where(eq(reports.reporterId, reporterId));
}

export function createMysqlSentiment(db: MysqlDb, guard: MysqlGuard): SentimentStore {
  return {
    get: (id) =>
      guard(async () => {
        const [row] = await db.select().from(reports).where(eq(reports.id, id));
        return row ? toReport(row) : null;
      }),
    getBySubmitKey: (submitKey) =>
      guard(async () => {
        const [row] = await db.select().from(reports).where(eq(reports.submitKey, submitKey));
        return row ? toReport(row) : null;
      }),
    listForReporter: (reporterId) =>
      guard(async () =>
        (
          await db
            .select()
            .from(reports)
            .where(
              or(
                eq(reports.reporterId, reporterId),
                like(reports.jointIds, `%${JSON.stringify(reporterId)}%`),
              ),
            )
            .orderBy(desc(reports.submittedAt), desc(reports.id))
        )
          .map(toReport)
          .filter((r) => r.reporterId === reporterId || r.jointIds.includes(reporterId)),
      ),
    list: (filter) =>
      guard(async () => {
        const f = reportFilterOf(filter);
        return (
          await db
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
        ).map(toReport);
      }),
    maxSeq: (year) =>
      guard(async () => {
        const [row] = await db
          .select({ seq: max(reports.seq) })
          .from(reports)
          .where(eq(reports.year, year));
        return Number(row?.seq ?? 0);
      }),
    events: (reportId) =>
      guard(async () =>
        (await db.select().from(events).where(eq(events.reportId, reportId)).orderBy(asc(events.seq))).map(
          toReportEvent,
        ),
      ),
    waitingFor: (reporterId) =>
      guard(async () =>
        (
          await db
            .select()
            .from(events)
            .innerJoin(reports, eq(reports.id, events.reportId))
            .where(and(eq(reports.reporterId, reporterId), eq(events.tell, 'waiting')))
            .orderBy(asc(events.reportId), asc(events.seq))
        ).map((r) => ({ report: toReport(r.sentiment_reports), event: toReportEvent(r.sentiment_events) })),
      ),
  };
}
