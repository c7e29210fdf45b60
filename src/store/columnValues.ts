/**
 * The value lists of the core tables' enum columns, shared by src/store/sqlite/tables.ts and src/store/mysql/tables.ts
 * so both dialects accept the same values; src/store/tablesGuard.ts checks they match the port's unions.
 */
export const INBOX_STATUS = ['pending', 'done', 'dead'] as const;
export const OUTBOX_STATUS = ['pending', 'sent', 'failed'] as const;
export const MEMBER_ROLE = ['member', 'staff', 'unit', 'supervisor'] as const;

/** The channel of an inbox or outbox row that names none: the WeCom app (rows written before channels existed). */
export const DEFAULT_CHANNEL = 'wecom-app';
