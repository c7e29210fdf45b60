/** Proposals (提案): pure rules and labels shared by the drafting flow's effects and the app. */
export {
  PROPOSAL_STATUS_CODES,
  PROPOSAL_STATUS_LABELS,
  DEFAULT_CATEGORIES,
  DEFAULT_HANDLING_UNITS,
  formatProposalNumber,
} from './catalog.js';
export type { Category, ProposalStatusCode } from './catalog.js';
export { checkProposal, suggestTitle, PROPOSAL_LIMITS } from './checkProposal.js';
export type { ProposalDraft, ProposalCheck, CheckMessage, ProposalField } from './checkProposal.js';
