import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import { assertNever } from '../../shared/errors.js';
import type { SqliteDb } from '../../store/sqlite/sqliteDb.js';
import { guardSqlite } from '../../store/sqlite/sqliteErrors.js';
import type { SurveyChange, SurveyStore } from './ports.js';
import { toSurveyResponse, toSurveyState } from './rows.js';
import { surveyResponses, surveyStates } from './tables.sqlite.js';

const emptyState = { openedAt: null, closesAt: null, closedAt: null, linkUrl: null, digestedAt: null };

/** The survey changes of Database.commit, inside its transaction. */
export function applySqliteSurveyChange(db: SqliteDb, change: SurveyChange): void {
  switch (change.type) {
    case 'survey.respond':
      db.insert(surveyResponses)
        .values({
          surveyId: change.surveyId,
          channel: change.channel,
          respondent: change.respondent,
          answers: change.answers,
          submittedAt: change.at,
          updatedAt: change.at,
          revisions: 0,
        })
        .onConflictDoUpdate({
          target: [surveyResponses.surveyId, surveyResponses.channel, surveyResponses.respondent],
          set: {
            answers: change.answers,
            updatedAt: change.at,
            revisions: sql`${surveyResponses.revisions} + 1`,
          },
        })
        .run();
      return;
    case 'survey.open':
      db.insert(surveyStates)
        .values({
          ...emptyState,
          surveyId: change.surveyId,
          openedAt: change.openedAt,
          closesAt: change.closesAt,
        })
        .onConflictDoUpdate({
          target: surveyStates.surveyId,
          set: { openedAt: change.openedAt, closesAt: change.closesAt, closedAt: null },
        })
        .run();
      return;
    case 'survey.close':
      db.insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, closedAt: change.at })
        .onConflictDoUpdate({ target: surveyStates.surveyId, set: { closedAt: change.at } })
        .run();
      return;
    case 'survey.link':
      db.insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, linkUrl: change.url })
        .onConflictDoUpdate({ target: surveyStates.surveyId, set: { linkUrl: change.url } })
        .run();
      return;
    case 'survey.digested':
      db.insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, digestedAt: change.at })
        .onConflictDoUpdate({ target: surveyStates.surveyId, set: { digestedAt: change.at } })
        .run();
      return;
    case 'survey.forget':
      db.update(surveyResponses)
        .set({ respondent: null })
        .where(and(eq(surveyResponses.surveyId, change.surveyId), isNotNull(surveyResponses.respondent)))
        .run();
      return;
    default:
      return assertNever(change, 'survey change');
  }
}

export function createSqliteSurveys(db: SqliteDb): SurveyStore {
  return {
    state: (surveyId) =>
      guardSqlite(() => {
        const row = db.select().from(surveyStates).where(eq(surveyStates.surveyId, surveyId)).get();
        return row ? toSurveyState(row) : null;
      }),
    states: () =>
      guardSqlite(() =>
        db.select().from(surveyStates).orderBy(asc(surveyStates.surveyId)).all().map(toSurveyState),
      ),
    response: (surveyId, channel, respondent) =>
      guardSqlite(() => {
        const row = db
          .select()
          .from(surveyResponses)
          .where(
            and(
              eq(surveyResponses.surveyId, surveyId),
              eq(surveyResponses.channel, channel),
              eq(surveyResponses.respondent, respondent),
            ),
          )
          .get();
        return row ? toSurveyResponse(row) : null;
      }),
    responses: (surveyId) =>
      guardSqlite(() =>
        db
          .select()
          .from(surveyResponses)
          .where(eq(surveyResponses.surveyId, surveyId))
          .orderBy(asc(surveyResponses.id))
          .all()
          .map(toSurveyResponse),
      ),
    counts: () =>
      guardSqlite(() => {
        const rows = db
          .select({ surveyId: surveyResponses.surveyId, n: count() })
          .from(surveyResponses)
          .groupBy(surveyResponses.surveyId)
          .all();
        return new Map(rows.map((r) => [r.surveyId, r.n]));
      }),
  };
}
