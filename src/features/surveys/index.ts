import type { Feature } from '../../core/feature.js';
import { surveyAdminRoutes } from './adminRoutes.js';
import type { SurveyCatalog } from './catalog.js';
import { surveyChanges } from './changes.js';
import { surveyEffects } from './effects.js';
import { createSurveyPoller, type SurveyPollerSettings } from './pollers.js';
import { citizenSurveyRoute, openSurveyChoices, openSurveyLines } from './routes.js';
import { createSurveyAdmin } from './surveyAdmin.js';

export type SurveyFeatureSettings = SurveyPollerSettings;

/**
 * 民意征集: surveys written in flows/surveys/*.yaml, answered by citizens through 微信客服 (a link per survey, or the
 * list of open ones) and by members in the WeCom app (by keyword), one response per person per survey; staff open
 * and close them, read results (admin API, CLI, 问卷结果 in WeCom) and get a daily digest.
 */
export function createSurveysFeature(catalog: SurveyCatalog, settings: SurveyFeatureSettings): Feature {
  return {
    name: 'surveys',
    changes: surveyChanges,
    effects: surveyEffects(catalog, settings),
    routes: [citizenSurveyRoute(catalog, settings)],
    pending: (actor, db, now) => openSurveyLines(catalog, settings, actor, db, now),
    citizenChoices: (actor, db, now) => openSurveyChoices(catalog, settings, actor, db, now),
    adminRoutes: (rt) =>
      surveyAdminRoutes(createSurveyAdmin({ db: rt.db, catalog, settings, now: () => rt.clock.now() })),
    pollers: (rt) => [
      createSurveyPoller({
        db: rt.db,
        catalog,
        settings,
        clock: rt.clock,
        logger: rt.logger.child({ component: 'surveys' }),
        onQueued: rt.wakeSender,
      }),
    ],
  };
}

export { createSurveyCatalog, loadSurveyCatalog, type SurveyCatalog } from './catalog.js';
export { createSurveyAdmin, type SurveyAdmin } from './surveyAdmin.js';
export { surveyStore } from './surveyStore.js';
export { maskPersonalNumbers, summaryText, type SurveyResults } from './domain/index.js';
export { displayAnswerOf } from './answerText.js';
export type { SurveyResponse, SurveyState } from './ports.js';
export { CITIZEN_CHANNEL } from './surveyAccess.js';
export { queueDigests, forgetRespondents } from './pollers.js';
