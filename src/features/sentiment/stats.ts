import type { Database } from '../../core/ports.js';
import { shanghaiParts } from '../../shared/chinaTime.js';
import type { StatsInput } from './domain/index.js';
import { sentimentStore } from './sentimentStore.js';

/** The year's reports as the statistics need them (month, 类别, the reporter's 界别, state, 批示 count). */
export async function yearStats(db: Database, year: number): Promise<StatsInput[]> {
  const reports = await sentimentStore(db).list({ year });
  const sectors = new Map((await db.members.list()).map((m) => [m.userId, m.sector]));
  return reports.map((r) => ({
    month: shanghaiParts(r.submittedAt).month,
    category: r.category,
    sector: r.source === 'member' ? (sectors.get(r.reporterId) ?? null) : null,
    source: r.source,
    state: r.state,
    instructions: r.instructions,
  }));
}
