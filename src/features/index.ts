import type { Config } from '../config/config.js';
import type { Feature } from '../core/feature.js';
import { createDutiesFeature } from './duties/index.js';
import { createNoticesFeature } from './notices/index.js';
import { createProposalsFeature } from './proposals/index.js';
import { sentimentFeature } from './sentiment/index.js';
import { createSurveysFeature, loadSurveyCatalog } from './surveys/index.js';

/** The capabilities this server runs, in routing order. Adding one is a folder plus one line here. */
export function createFeatures(
  config: Pick<Config, 'notices' | 'proposals' | 'surveys' | 'flowsDir' | 'wecom' | 'dutyPointsFile'>,
  /** The 承办单位 list (flows/units.yaml, read by the caller); the county defaults when absent. */
  units?: readonly string[],
): Feature[] {
  return [
    // First: citizens' messages (微信客服) are the surveys' alone; members' pass through untouched.
    createSurveysFeature(loadSurveyCatalog(config.flowsDir), {
      ...config.surveys,
      openUnlessClosed: config.wecom === null,
    }),
    createProposalsFeature({ ...config.proposals, ...(units !== undefined ? { units } : {}) }),
    createNoticesFeature({
      source: config.notices.source,
      remindBeforeMs: config.notices.remindBeforeMs,
      morningHour: config.notices.morningHour,
      reminderPollMs: config.notices.reminderPollMs,
    }),
    sentimentFeature,
    createDutiesFeature({ pointsFile: config.dutyPointsFile }),
  ];
}
