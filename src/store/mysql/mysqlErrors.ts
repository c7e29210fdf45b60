import { StoreUnavailableError, errorMessage } from '../../shared/errors.js';
import { errorChain, errorField } from '../rows.js';

// Codes meaning "the server cannot serve us right now" rather than "this statement is wrong". Lock-wait timeouts
// and deadlocks are transient too: the caller answers 503 and the work is retried.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
]);

export function isMysqlDuplicate(err: unknown): boolean {
  // drizzle ≥0.44 wraps the mysql2 error: ER_DUP_ENTRY sits at err.cause.code.
  return errorChain(err).some(
    (e) => errorField(e, 'code') === 'ER_DUP_ENTRY' || errorField(e, 'errno') === 1062,
  );
}

export function isMysqlUnavailable(err: unknown): boolean {
  return errorChain(err).some((e) => {
    const code = errorField(e, 'code');
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    // mysql2 flags errors that killed the connection (handshake, socket) as fatal.
    if (errorField(e, 'fatal') === true) return true;
    // mysql2 raises these without a code once pool.end() has run.
    return (
      e instanceof Error &&
      /^(Pool is closed|Queue limit reached|Can't add new command when connection is in closed state)/.test(
        e.message,
      )
    );
  });
}

/** Maps availability failures to StoreUnavailableError; anything else (constraint, bug) is rethrown as is. */
export function toMysqlStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  if (isMysqlUnavailable(err))
    return new StoreUnavailableError(`mysql unavailable: ${errorMessage(err)}`, err);
  return err;
}

/** Runs an adapter operation: maps availability failures, and gives up after a deadline when one is set. */
export type MysqlGuard = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * mysql2 has no acquire or query timeout: against a hung server (SIGSTOP, a dead NAT entry) a query waits forever,
 * far past WeCom's 5 s. So every operation races a deadline and then fails as StoreUnavailableError. The query
 * may still complete later; that is safe because every write is idempotent or leased (inbox dedup, outbox
 * dedup, claim leases end). `deadlineMs` null: no deadline (bulk imports from the CLI).
 */
export function makeMysqlGuard(deadlineMs: number | null): MysqlGuard {
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Adopted once: a drizzle query builder is a lazy thenable that runs its query again on every then/catch, so
      // calling .catch and .then on it directly would execute the statement twice.
      const work = Promise.resolve(fn());
      if (deadlineMs === null) return await work;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StoreUnavailableError(`mysql did not answer within ${deadlineMs} ms`)),
          deadlineMs,
        );
      });
      // A late rejection of `work` after the deadline fired must not become an unhandled rejection.
      work.catch(() => undefined);
      return await Promise.race([work, deadline]);
    } catch (err) {
      throw toMysqlStoreError(err);
    } finally {
      clearTimeout(timer);
    }
  };
}
