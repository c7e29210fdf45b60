/**
 * Row types of the proposal tables, inferred from drizzle, and the drift guard that fails `tsc` when
 * tables.sqlite.ts and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { CosignerStatus, ProposalStatus } from './ports.js';
import type { Assert, Eq, SameTable } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type ProposalRow = typeof lite.proposals.$inferSelect;
export type ProposalEventRow = typeof lite.proposalEvents.$inferSelect;
export type CosignerRow = typeof lite.cosigners.$inferSelect;
export type AssignmentRow = typeof lite.proposalAssignments.$inferSelect;
export type MeetingRow = typeof lite.proposalMeetings.$inferSelect;
export type ReplyRow = typeof lite.proposalReplies.$inferSelect;
export type EvaluationRow = typeof lite.proposalEvaluations.$inferSelect;
export type DeadlineRow = typeof lite.proposalDeadlines.$inferSelect;

export type ProposalTablesGuard = [
  Assert<SameTable<typeof my.proposals, typeof lite.proposals>>,
  Assert<SameTable<typeof my.proposalEvents, typeof lite.proposalEvents>>,
  Assert<SameTable<typeof my.cosigners, typeof lite.cosigners>>,
  Assert<SameTable<typeof my.proposalAssignments, typeof lite.proposalAssignments>>,
  Assert<SameTable<typeof my.proposalMeetings, typeof lite.proposalMeetings>>,
  Assert<SameTable<typeof my.proposalReplies, typeof lite.proposalReplies>>,
  Assert<SameTable<typeof my.proposalEvaluations, typeof lite.proposalEvaluations>>,
  Assert<SameTable<typeof my.proposalDeadlines, typeof lite.proposalDeadlines>>,
  Assert<Eq<ProposalRow['status'], ProposalStatus>>,
  Assert<Eq<ProposalEventRow['status'], ProposalStatus>>,
  Assert<Eq<CosignerRow['status'], CosignerStatus>>,
];
