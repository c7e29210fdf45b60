import type { SqliteDb } from './sqliteDb.js';
import { toSqliteStoreError } from './sqliteErrors.js';

export interface GroupCommit {
  /**
   * Runs `job` in the next group transaction and resolves with its result once that transaction is committed
   * (durable: synchronous=FULL). With `savepoint`, a job that throws rolls back its own writes only; without, the
   * job must leave nothing half-done when it throws (a single statement, which SQLite undoes by itself).
   */
  run<T>(job: (tx: SqliteDb) => T, opts?: { savepoint?: boolean }): Promise<T>;
}

interface Queued {
  job: (tx: SqliteDb) => unknown;
  savepoint: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * Group commit: writes queued during one turn of the event loop (callbacks arriving together, the worker's commits)
 * go into one IMMEDIATE transaction, so one fsync makes all of them durable instead of one fsync each. Each job's
 * promise settles only after the commit, so a callback is still acknowledged only once its row is on disk; a commit
 * that fails rejects every job in it (none of them was written).
 */
export function createGroupCommit(db: SqliteDb): GroupCommit {
  let queue: Queued[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    const outcomes: Outcome[] = [];
    try {
      db.transaction(
        (tx) => {
          for (const q of batch) {
            try {
              outcomes.push({ ok: true, value: q.savepoint ? tx.transaction((sp) => q.job(sp)) : q.job(tx) });
            } catch (err) {
              outcomes.push({ ok: false, err });
            }
          }
        },
        { behavior: 'immediate' },
      );
    } catch (err) {
      const mapped = toSqliteStoreError(err);
      for (const q of batch) q.reject(mapped);
      return;
    }
    batch.forEach((q, i) => {
      const o = outcomes[i]!;
      if (o.ok) q.resolve(o.value);
      else q.reject(toSqliteStoreError(o.err));
    });
  }

  return {
    run<T>(job: (tx: SqliteDb) => T, opts: { savepoint?: boolean } = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({
          job,
          savepoint: opts.savepoint ?? false,
          resolve: resolve as (v: unknown) => void,
          reject,
        });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
