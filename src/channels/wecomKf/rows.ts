import type { KfWindow } from './ports.js';
import type { KfWindowRow } from './tablesGuard.js';

export function toKfWindow(row: KfWindowRow): KfWindow {
  return {
    openKfid: row.openKfid,
    externalUserid: row.externalUserid,
    lastCustomerAt: row.lastCustomerAt,
    // A JSON column may come back as text from some MariaDB versions (JSON is LONGTEXT there).
    sends: (typeof row.sends === 'string' ? (JSON.parse(row.sends) as unknown) : row.sends) as number[],
    welcomeCode: row.welcomeCode,
    welcomeCodeAt: row.welcomeCodeAt,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}
