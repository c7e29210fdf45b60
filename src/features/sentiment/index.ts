import type { Feature } from '../../core/feature.js';
import { sentimentAdminRoutes } from './adminRoutes.js';
import { sentimentChanges } from './changes.js';
import { SENTIMENT_FLOW_ID, sentimentEffects } from './effects.js';
import { citizenClueRoute, citizenOutcomesRoute } from './routes.js';

/**
 * 社情民意: members report (flows/sentiment.yaml) and follow (sentiment_mine.yaml) what they see, citizens leave clues
 * on 微信客服 (sentiment_clue.yaml), staff review, adopt, report up and forward them (sentiment_review.yaml, the admin
 * API) and see statistics (sentiment_stats.yaml); each reporter is told of each outcome once.
 */
export const sentimentFeature: Feature = {
  name: 'sentiment',
  changes: sentimentChanges,
  effects: sentimentEffects,
  routes: [citizenOutcomesRoute, citizenClueRoute],
  draftFlows: [SENTIMENT_FLOW_ID],
  adminRoutes: sentimentAdminRoutes,
};

export { sentimentStore } from './sentimentStore.js';
export { sentimentFromProposal, type ProposalForSentiment } from './fromProposal.js';
export { reviewReport } from './review.js';
export { yearStats } from './stats.js';
export {
  SENTIMENT_STATE_LABELS,
  SENTIMENT_SOURCE_LABELS,
  formatStats,
  sentimentStats,
  type SentimentState,
} from './domain/index.js';
export type { Report, ReportEvent } from './ports.js';
