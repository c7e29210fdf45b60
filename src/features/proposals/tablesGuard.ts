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

export type ProposalTablesGuard = [
  Assert<SameTable<typeof my.proposals, typeof lite.proposals>>,
  Assert<SameTable<typeof my.proposalEvents, typeof lite.proposalEvents>>,
  Assert<SameTable<typeof my.cosigners, typeof lite.cosigners>>,
  Assert<Eq<ProposalRow['status'], ProposalStatus>>,
  Assert<Eq<ProposalEventRow['status'], ProposalStatus>>,
  Assert<Eq<CosignerRow['status'], CosignerStatus>>,
];
