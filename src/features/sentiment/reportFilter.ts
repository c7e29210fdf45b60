import type { ReportFilter } from './ports.js';

/** The filter with absent keys dropped (both adapters build their WHERE from it). */
export function reportFilterOf(filter: ReportFilter): ReportFilter {
  return {
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.year ? { year: filter.year } : {}),
  };
}
