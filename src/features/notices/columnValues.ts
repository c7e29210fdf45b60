/**
 * The value lists of the notice tables' enum columns, shared by tables.sqlite.ts and tables.mysql.ts; tablesGuard.ts
 * checks they match the port's unions.
 */
export const NOTICE_STATUS = ['draft', 'sent'] as const;
export const NOTICE_ANSWER = ['attend', 'leave'] as const;
export const NOTICE_DELIVERY = ['pending', 'sent', 'failed'] as const;
export const NOTICE_REMINDER_KIND = ['nonResponders', 'morning'] as const;
