import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import { assertNever } from '../../shared/errors.js';
import type { MysqlDb } from '../../store/mysql/mysqlDb.js';
import type { MysqlGuard } from '../../store/mysql/mysqlErrors.js';
import type { SurveyChange, SurveyStore } from './ports.js';
import { toSurveyResponse, toSurveyState } from './rows.js';
import { surveyResponses, surveyStates } from './tables.mysql.js';

const emptyState = { openedAt: null, closesAt: null, closedAt: null, linkUrl: null, digestedAt: null };

/** The survey changes of Database.commit, inside its transaction. */
export async function applyMysqlSurveyChange(db: MysqlDb, change: SurveyChange): Promise<void> {
  switch (change.type) {
    case 'survey.respond':
      await db
        .insert(surveyResponses)
        .values({
          surveyId: change.surveyId,
          channel: change.channel,
          respondent: change.respondent,
          answers: change.answers,
          submittedAt: change.at,
          updatedAt: change.at,
          revisions: 0,
        })
        .onDuplicateKeyUpdate({
          set: {
            answers: change.answers,
            updatedAt: change.at,
            revisions: sql`${surveyResponses.revisions} + 1`,
          },
        });
      return;
    case 'survey.open':
      await db
        .insert(surveyStates)
        .values({
          ...emptyState,
          surveyId: change.surveyId,
          openedAt: change.openedAt,
          closesAt: change.closesAt,
        })
        .onDuplicateKeyUpdate({
          set: { openedAt: change.openedAt, closesAt: change.closesAt, closedAt: null },
        });
      return;
    case 'survey.close':
      await db
        .insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, closedAt: change.at })
        .onDuplicateKeyUpdate({ set: { closedAt: change.at } });
      return;
    case 'survey.link':
      await db
        .insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, linkUrl: change.url })
        .onDuplicateKeyUpdate({ set: { linkUrl: change.url } });
      return;
    case 'survey.digested':
      await db
        .insert(surveyStates)
        .values({ ...emptyState, surveyId: change.surveyId, digestedAt: change.at })
        .onDuplicateKeyUpdate({ set: { digestedAt: change.at } });
      return;
    case 'survey.forget':
      await db
        .update(surveyResponses)
        .set({ respondent: null })
        .where(and(eq(surveyResponses.surveyId, change.surveyId), isNotNull(surveyResponses.respondent)));
      return;
    default:
      return assertNever(change, 'survey change');
  }
}

export function createMysqlSurveys(db: MysqlDb, guard: MysqlGuard): SurveyStore {
  return {
    state: (surveyId) =>
      guard(async () => {
        const [row] = await db.select().from(surveyStates).where(eq(surveyStates.surveyId, surveyId));
        return row ? toSurveyState(row) : null;
      }),
    states: () =>
      guard(async () =>
        (await db.select().from(surveyStates).orderBy(asc(surveyStates.surveyId))).map(toSurveyState),
      ),
    response: (surveyId, channel, respondent) =>
      guard(async () => {
        const [row] = await db
          .select()
          .from(surveyResponses)
          .where(
            and(
              eq(surveyResponses.surveyId, surveyId),
              eq(surveyResponses.channel, channel),
              eq(surveyResponses.respondent, respondent),
            ),
          );
        return row ? toSurveyResponse(row) : null;
      }),
    responses: (surveyId) =>
      guard(async () =>
        (
          await db
            .select()
            .from(surveyResponses)
            .where(eq(surveyResponses.surveyId, surveyId))
            .orderBy(asc(surveyResponses.id))
        ).map(toSurveyResponse),
      ),
    counts: () =>
      guard(async () => {
        const rows = await db
          .select({ surveyId: surveyResponses.surveyId, n: count() })
          .from(surveyResponses)
          .groupBy(surveyResponses.surveyId);
        return new Map(rows.map((r) => [r.surveyId, Number(r.n)]));
      }),
  };
}
