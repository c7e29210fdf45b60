import { StoreUnavailableError, errorMessage } from '../../shared/errors.js';
import { errorChain, errorField } from '../rows.js';

// Result codes meaning "the database cannot serve us right now" rather than "this statement is wrong":
// BUSY past busy_timeout, LOCKED, I/O and disk-full errors, an unopenable or non-database file.
const UNAVAILABLE_CODE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|NOMEM|READONLY|CORRUPT|NOTADB|PROTOCOL)/;

export function isSqliteUniqueViolation(err: unknown): boolean {
  return errorChain(err).some((e) => {
    const code = errorField(e, 'code');
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  });
}

function isUnavailable(err: unknown): boolean {
  return errorChain(err).some((e) => {
    const code = errorField(e, 'code');
    if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
    // better-sqlite3 throws a plain TypeError once close() has run.
    return e instanceof TypeError && /database connection is not open/i.test(e.message);
  });
}

/** Maps availability failures to StoreUnavailableError; anything else (constraint, bug) is rethrown as is. */
export function toSqliteStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  if (isUnavailable(err)) return new StoreUnavailableError(`sqlite unavailable: ${errorMessage(err)}`, err);
  return err;
}

/**
 * Runs a synchronous better-sqlite3 operation behind the Promise-based port, so errors become rejections
 * (never synchronous throws) and availability failures are mapped.
 */
export async function guardSqlite<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (err) {
    throw toSqliteStoreError(err);
  }
}
