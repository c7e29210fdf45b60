import { storeFor } from '../../store/sqlHandle.js';
import { createMysqlProposals } from './mysqlProposalStore.js';
import { createSqliteProposals } from './sqliteProposalStore.js';

/** The proposals store of a Database (the adapter of its dialect). */
export const proposalStore = storeFor({ sqlite: createSqliteProposals, mysql: createMysqlProposals });
