/**
 * Row types of the core tables, inferred from drizzle, and the compile-time drift guard that keeps the two dialects
 * equal. Drizzle has no dialect-neutral schema, so each table is written twice (sqlite/tables.ts, mysql/tables.ts);
 * the `Assert<Eq<…>>` lines fail `tsc` as soon as a column's name, type, nullability or default-ness differs. Because
 * the two agree, one row type (the SQLite one) serves both adapters' mapping (rows.ts). Each feature has the same
 * guard next to its own tables (src/features/<f>/tablesGuard.ts).
 */
import type { InboxStatus, MemberRole, OutboxStatus } from '../core/ports.js';
import type * as my from './mysql/tables.js';
import type * as lite from './sqlite/tables.js';

/**
 * Strict (invariant) type equality: `A extends B` both ways would accept `any` and some optional/required mismatches;
 * the function-type trick does not.
 */
export type Eq<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Assert<T extends true> = T;

/** The two dialects' versions of one table infer the same row, both as read (select) and as written (insert). */
export type SameTable<
  M extends { $inferSelect: unknown; $inferInsert: unknown },
  L extends { $inferSelect: unknown; $inferInsert: unknown },
> = Eq<[M['$inferSelect'], M['$inferInsert']], [L['$inferSelect'], L['$inferInsert']]>;

export type InboxRow = typeof lite.inbox.$inferSelect;
export type OutboxRow = typeof lite.outbox.$inferSelect;
export type MemberRow = typeof lite.members.$inferSelect;
export type ConversationRow = typeof lite.conversations.$inferSelect;
export type DraftRow = typeof lite.drafts.$inferSelect;

export type CoreTablesGuard = [
  Assert<SameTable<typeof my.inbox, typeof lite.inbox>>,
  Assert<SameTable<typeof my.outbox, typeof lite.outbox>>,
  Assert<SameTable<typeof my.members, typeof lite.members>>,
  Assert<SameTable<typeof my.conversations, typeof lite.conversations>>,
  Assert<SameTable<typeof my.drafts, typeof lite.drafts>>,
  // The enums are the port's: a value added on one side only fails here.
  Assert<Eq<InboxRow['status'], InboxStatus>>,
  Assert<Eq<OutboxRow['status'], OutboxStatus>>,
  Assert<Eq<MemberRow['role'], MemberRole>>,
];
