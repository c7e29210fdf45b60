/**
 * Row types of the proposal tables, inferred from drizzle, and the drift guard that fails `tsc` when
 * tables.sqlite.ts and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { CosignerStatus, ProposalStatus } from './ports.js';
import type { Assert, Eq } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type ProposalRow = typeof lite.proposals.$inferSelect;
export type ProposalEventRow = typeof lite.proposalEvents.$inferSelect;
export type CosignerRow = typeof lite.cosigners.$inferSelect;

export type ProposalTablesGuard = [
  Assert<Eq<typeof my.proposals.$inferSelect, typeof lite.proposals.$inferSelect>>,
  Assert<Eq<typeof my.proposals.$inferInsert, typeof lite.proposals.$inferInsert>>,
  Assert<Eq<typeof my.proposalEvents.$inferSelect, typeof lite.proposalEvents.$inferSelect>>,
  Assert<Eq<typeof my.proposalEvents.$inferInsert, typeof lite.proposalEvents.$inferInsert>>,
  Assert<Eq<typeof my.cosigners.$inferSelect, typeof lite.cosigners.$inferSelect>>,
  Assert<Eq<typeof my.cosigners.$inferInsert, typeof lite.cosigners.$inferInsert>>,
  Assert<Eq<ProposalRow['status'], ProposalStatus>>,
  Assert<Eq<ProposalEventRow['status'], ProposalStatus>>,
  Assert<Eq<CosignerRow['status'], CosignerStatus>>,
];
