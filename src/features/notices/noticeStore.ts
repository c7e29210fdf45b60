import { storeFor } from '../../store/sqlHandle.js';
import { createMysqlNotices } from './mysqlNoticeStore.js';
import { createSqliteNotices } from './sqliteNoticeStore.js';

/** The notices store of a Database (the adapter of its dialect). */
export const noticeStore = storeFor({ sqlite: createSqliteNotices, mysql: createMysqlNotices });
