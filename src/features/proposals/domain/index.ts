/** Proposals (提案): pure rules and labels shared by the drafting flow's effects and the app. */
export { PROPOSAL_STATUSES, PROPOSAL_STATUS_LABELS } from './status.js';
export type { ProposalStatus } from './status.js';
export { DEFAULT_CATEGORIES, DEFAULT_HANDLING_UNITS, formatProposalNumber } from './catalog.js';
export type { Category } from './catalog.js';
export { checkProposal, suggestTitle, PROPOSAL_LIMITS } from './checkProposal.js';
export type { ProposalDraft, ProposalCheck, CheckMessage, ProposalField } from './checkProposal.js';
export * from './lifecycle.js';
export * from './lifecycleCards.js';
