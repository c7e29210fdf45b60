import { defineChanges } from '../../store/changeAppliers.js';
import { respondMysqlCosigner, setMysqlProposalStatus, submitMysqlProposal } from './mysqlProposalStore.js';
import type { ProposalChange } from './ports.js';
import { addMysqlEvent, applyMysqlTransition, doneMysqlDeadline } from './mysqlLifecycleStore.js';
import { addSqliteEvent, applySqliteTransition, doneSqliteDeadline } from './sqliteLifecycleStore.js';
import {
  respondSqliteCosigner,
  setSqliteProposalStatus,
  submitSqliteProposal,
} from './sqliteProposalStore.js';

declare module '../../core/ports.js' {
  interface FeatureChanges {
    proposals: ProposalChange;
  }
}

/** How each proposal change is written, per dialect, inside the commit's transaction. */
export const proposalChanges = defineChanges<ProposalChange>({
  sqlite: {
    'proposal.submit': (tx, c) => submitSqliteProposal(tx, c.proposal, c.cosignerIds, c.at),
    'proposal.status': (tx, c) => setSqliteProposalStatus(tx, c.proposalId, c.status, c.note, c.at),
    'cosigner.respond': (tx, c) => respondSqliteCosigner(tx, c.proposalId, c.userId, c.status, c.at),
    'proposal.transition': (tx, c) => applySqliteTransition(tx, c),
    'proposal.event': (tx, c) => addSqliteEvent(tx, c.proposalId, c.event, c.at),
    'proposal.deadlineDone': (tx, c) => doneSqliteDeadline(tx, c.id, c.at),
  },
  mysql: {
    'proposal.submit': (tx, c) => submitMysqlProposal(tx, c.proposal, c.cosignerIds, c.at),
    'proposal.status': (tx, c) => setMysqlProposalStatus(tx, c.proposalId, c.status, c.note, c.at),
    'cosigner.respond': (tx, c) => respondMysqlCosigner(tx, c.proposalId, c.userId, c.status, c.at),
    'proposal.transition': (tx, c) => applyMysqlTransition(tx, c),
    'proposal.event': (tx, c) => addMysqlEvent(tx, c.proposalId, c.event, c.at),
    'proposal.deadlineDone': (tx, c) => doneMysqlDeadline(tx, c.id, c.at),
  },
});
