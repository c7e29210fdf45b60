import { defineChanges } from '../../store/changeAppliers.js';
import { actMysqlReport, seenMysql, submitMysqlReport, toldMysql } from './mysqlSentimentStore.js';
import type { SentimentChange } from './ports.js';
import { actSqliteReport, seenSqlite, submitSqliteReport, toldSqlite } from './sqliteSentimentStore.js';

declare module '../../core/ports.js' {
  interface FeatureChanges {
    sentiment: SentimentChange;
  }
}

/** How each sentiment change is written, per dialect, inside the commit's transaction. */
export const sentimentChanges = defineChanges<SentimentChange>({
  sqlite: {
    'sentiment.submit': (tx, c) => submitSqliteReport(tx, c.report, c.actorId, c.at),
    'sentiment.act': (tx, c) => actSqliteReport(tx, c),
    'sentiment.told': (tx, c) => toldSqlite(tx, c.reportId, c.seqs, c.clearReplyTo, c.at),
    'sentiment.seen': (tx, c) => seenSqlite(tx, c.reporterId, c.at),
  },
  mysql: {
    'sentiment.submit': (tx, c) => submitMysqlReport(tx, c.report, c.actorId, c.at),
    'sentiment.act': (tx, c) => actMysqlReport(tx, c),
    'sentiment.told': (tx, c) => toldMysql(tx, c.reportId, c.seqs, c.clearReplyTo, c.at),
    'sentiment.seen': (tx, c) => seenMysql(tx, c.reporterId, c.at),
  },
});
