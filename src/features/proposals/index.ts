import type { Feature } from '../../core/feature.js';
import { proposalChanges } from './changes.js';
import {
  checkProposalEffect,
  findProposalEffect,
  listProposalsEffect,
  submitProposalEffect,
} from './effects.js';
import { cosignRoute } from './routes.js';
import { pendingInvitations } from './pendingInvitations.js';

/** 提案: members draft (flows/proposal.yaml), submit, follow (flows/status.yaml) and co-sign proposals. */
export const proposalsFeature: Feature = {
  name: 'proposals',
  changes: proposalChanges,
  effects: [checkProposalEffect, submitProposalEffect, listProposalsEffect, findProposalEffect],
  routes: [cosignRoute],
  draftFlows: ['proposal'],
  pending: pendingInvitations,
};

export { proposalStore } from './proposalStore.js';
export { PROPOSAL_STATUS_LABELS } from './domain/index.js';
