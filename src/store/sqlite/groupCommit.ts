import { open } from 'node:fs/promises';
import { StoreUnavailableError, errorMessage } from '../../shared/errors.js';
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
 * Group commit: writes queued during one turn of the event loop (callbacks arriving together, the worker's commits,
 * the sender's claims) go into one IMMEDIATE transaction, so one fsync makes all of them durable instead of one
 * fsync each. Each job's promise settles only after the commit is durable, so a callback is still acknowledged
 * only once its row is on disk; a commit that fails rejects every job in it (none of them was written).
 */
/** `walFile`: the WAL to fdatasync after each group (synchronous=NORMAL); null when SQLite syncs itself (FULL). */
export function createGroupCommit(db: SqliteDb, walFile: string | null): GroupCommit {
  let queue: Queued[] = [];
  let scheduled = false;
  const durable = walFile ? walSync(walFile) : () => Promise.resolve();

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
    durable().then(
      () =>
        batch.forEach((q, i) => {
          const o = outcomes[i]!;
          if (o.ok) q.resolve(o.value);
          else q.reject(toSqliteStoreError(o.err));
        }),
      (err: unknown) => {
        const mapped = new StoreUnavailableError(`sqlite WAL fsync failed: ${errorMessage(err)}`, err);
        for (const q of batch) q.reject(mapped);
      },
    );
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

/**
 * fdatasync of the WAL file on libuv's thread pool, coalesced: a caller waits for a sync that began after its
 * commit wrote its frames (one in flight already may have started before), so one sync serves every commit
 * written before it began. WAL frames are appended in order and recovered only as a checksummed prefix, so once
 * this resolves the commit survives power loss, exactly as with synchronous=FULL, without blocking the event loop.
 */
function walSync(walFile: string): () => Promise<void> {
  let inFlight = false;
  let waiting: { resolve(): void; reject(err: unknown): void }[] = [];
  async function syncOnce(): Promise<void> {
    // The WAL exists from the first write on; were it gone (checkpointed and removed), the commits are in the file.
    const fh = await open(walFile, 'r').catch((err: unknown) =>
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? open(walFile.replace(/-wal$/, ''), 'r')
        : Promise.reject(err),
    );
    try {
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
  function run(): void {
    inFlight = true;
    const batch = waiting;
    waiting = [];
    syncOnce()
      .then(
        () => {
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        inFlight = false;
        if (waiting.length > 0) run();
      });
  }
  return () =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (!inFlight) run();
    });
}
