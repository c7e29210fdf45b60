import type { Feature } from '../../core/feature.js';
import { proposalAdminRoutes } from './adminRoutes.js';
import { proposalChanges } from './changes.js';
import { DEFAULT_HANDLING_UNITS } from './domain/index.js';
import { checkProposalEffect, submitProposalEffect } from './effects.js';
import { lifecycleChatEffects } from './chat/effects.js';
import { revisionSeeds, submitWithRevision } from './chat/revision.js';
import { convertConsentRoute, lifecycleCardRoute } from './chat/routes.js';
import { statusEffects } from './chat/statusEffects.js';
import { createDeadlinePoller } from './lifecycle/deadlines.js';
import { createLifecycleService } from './lifecycle/service.js';
import type { LifecycleService, LifecycleSettings } from './lifecycle/types.js';
import { cosignRoute } from './routes.js';
import { pendingInvitations } from './pendingInvitations.js';

export interface ProposalsSettings extends Omit<LifecycleSettings, 'units'> {
  /** The 承办单位 list (flows/units.yaml); the county defaults when absent. */
  units?: readonly string[];
  /** How often the deadline poller looks for due work. */
  deadlinePollMs: number;
}

export const DEFAULT_PROPOSALS_SETTINGS: ProposalsSettings = {
  meetingWorkingDays: 15,
  replyMonths: 3,
  evaluationWorkingDays: 15,
  returnWorkingDays: 5,
  remindWorkingDaysBefore: 3,
  followUpMonths: 6,
  noEvaluationRule: 'deemed_satisfied',
  deadlinePollMs: 60_000,
};

/**
 * 提案: members draft (flows/proposal.yaml), submit, follow (flows/status.yaml) and co-sign proposals; staff, units
 * and members move them through their life (审查 → 立案 → 交办 → 办理 → 答复 → 评价 → 办结) via the lifecycle service.
 */
export function createProposalsFeature(settings: ProposalsSettings = DEFAULT_PROPOSALS_SETTINGS): Feature & {
  lifecycle: LifecycleService;
} {
  const { deadlinePollMs, units, ...limits } = settings;
  const lifecycle = createLifecycleService({ ...limits, units: units ?? DEFAULT_HANDLING_UNITS });
  return {
    name: 'proposals',
    lifecycle,
    changes: proposalChanges,
    effects: [
      checkProposalEffect,
      submitWithRevision(lifecycle, submitProposalEffect),
      ...statusEffects(lifecycle),
      ...lifecycleChatEffects(lifecycle),
    ],
    routes: [cosignRoute, lifecycleCardRoute(lifecycle), convertConsentRoute()],
    draftFlows: ['proposal'],
    draftSeeds: revisionSeeds(lifecycle),
    pending: pendingInvitations,
    adminRoutes: (rt) =>
      proposalAdminRoutes({
        db: rt.db,
        now: () => rt.clock.now(),
        service: lifecycle,
        onQueued: rt.wakeSender,
      }),
    pollers: (rt) => [
      createDeadlinePoller({
        db: rt.db,
        clock: rt.clock,
        logger: rt.logger.child({ component: 'proposal-deadlines' }),
        service: lifecycle,
        pollMs: deadlinePollMs,
        onQueued: rt.wakeSender,
      }),
    ],
  };
}

export { proposalStore } from './proposalStore.js';
export { PROPOSAL_STATUS_LABELS } from './domain/index.js';
export { createLifecycleService } from './lifecycle/service.js';
export { parseUnitsYaml, UNITS_FILE } from './domain/units.js';
export { loadUnits, uncoveredCalendarYears } from './loadUnits.js';
export type * from './lifecycle/types.js';
