import type { Config } from '../config/config.js';
import type { Feature } from '../core/feature.js';
import { createNoticesFeature } from './notices/index.js';
import { proposalsFeature } from './proposals/index.js';
import { sentimentFeature } from './sentiment/index.js';
import { createDutiesFeature } from './duties/index.js';

/** The capabilities this server runs, in routing order. Adding one is a folder plus one line here. */
export function createFeatures(config: Pick<Config, 'notices' | 'dutyPointsFile'>): Feature[] {
  return [
    proposalsFeature,
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
