import { storeFor } from '../../store/sqlHandle.js';
import { createMysqlKfStore } from './mysqlKfStore.js';
import { createSqliteKfStore } from './sqliteKfStore.js';

/** The kf store of a Database (the adapter of its dialect). */
export const kfStore = storeFor({ sqlite: createSqliteKfStore, mysql: createMysqlKfStore });
