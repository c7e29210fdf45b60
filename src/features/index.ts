import type { Config } from '../config/config.js';
import type { Feature } from '../core/feature.js';
import { createNoticesFeature } from './notices/index.js';
import { createProposalsFeature } from './proposals/index.js';

/** The capabilities this server runs, in routing order. Adding one is a folder plus one line here. */
export function createFeatures(
  config: Pick<Config, 'notices' | 'proposals'>,
  /** The 承办单位 list (flows/units.yaml, read by the caller); the county defaults when absent. */
  units?: readonly string[],
): Feature[] {
  return [
    createProposalsFeature({ ...config.proposals, ...(units !== undefined ? { units } : {}) }),
    createNoticesFeature({
      source: config.notices.source,
      remindBeforeMs: config.notices.remindBeforeMs,
      morningHour: config.notices.morningHour,
      reminderPollMs: config.notices.reminderPollMs,
    }),
  ];
}
