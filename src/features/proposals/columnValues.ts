/** The value lists of the proposal tables' enum columns, shared by tables.sqlite.ts and tables.mysql.ts. */
import { PROPOSAL_STATUSES } from './domain/status.js';

/** The port's list is the single source: adding a status there changes both enums. */
export const PROPOSAL_STATUS = PROPOSAL_STATUSES;
export const COSIGNER_STATUS = ['invited', 'accepted', 'declined'] as const;
export { ASSIGNMENT_STATES as ASSIGNMENT_STATE, RESULT_CLASSES as RESULT_CLASS } from './domain/lifecycle.js';
export const UNIT_ROLE = ['host', 'co'] as const;
export const REPLY_REVIEW = ['pending', 'approved', 'rejected'] as const;
export const MEETING_SOURCE = ['unit', 'member'] as const;
