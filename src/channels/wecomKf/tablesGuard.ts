/** Row types of the kf tables, and the drift guard that fails `tsc` when the two dialects differ. */
import type { Assert, SameTable } from '../../store/tablesGuard.js';
import type * as my from './tables.mysql.js';
import type * as lite from './tables.sqlite.js';

export type KfCursorRow = typeof lite.kfCursors.$inferSelect;
export type KfWindowRow = typeof lite.kfWindows.$inferSelect;

export type KfTablesGuard = [
  Assert<SameTable<typeof my.kfCursors, typeof lite.kfCursors>>,
  Assert<SameTable<typeof my.kfWindows, typeof lite.kfWindows>>,
  Assert<SameTable<typeof my.kfPullRequests, typeof lite.kfPullRequests>>,
];
