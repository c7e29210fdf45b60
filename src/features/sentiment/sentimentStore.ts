import { storeFor } from '../../store/sqlHandle.js';
import { createMysqlSentiment } from './mysqlSentimentStore.js';
import { createSqliteSentiment } from './sqliteSentimentStore.js';

/** The sentiment store of a Database (the adapter of its dialect). */
export const sentimentStore = storeFor({ sqlite: createSqliteSentiment, mysql: createMysqlSentiment });
