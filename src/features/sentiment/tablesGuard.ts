/**
 * Row types of the sentiment tables, inferred from drizzle, and the drift guard that fails `tsc` when
 * tables.sqlite.ts and tables.mysql.ts differ in one column (see src/store/tablesGuard.ts).
 */
import type { SentimentState } from './domain/index.js';
import type { Assert, Eq, SameTable } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type ReportRow = typeof lite.sentimentReports.$inferSelect;
export type ReportEventRow = typeof lite.sentimentEvents.$inferSelect;

export type SentimentTablesGuard = [
  Assert<SameTable<typeof my.sentimentReports, typeof lite.sentimentReports>>,
  Assert<SameTable<typeof my.sentimentEvents, typeof lite.sentimentEvents>>,
  Assert<Eq<ReportRow['state'], SentimentState>>,
];
