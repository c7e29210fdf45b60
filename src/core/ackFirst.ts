/**
 * Acknowledgements first: the ack path (verify, decrypt, store, 200) has WeCom's 5 s deadline, replies have none.
 * The worker and the sender await `turn()` before each item:
 * - at ordinary rates (no callback in flight) it resolves at once and nothing waits;
 * - while a callback is in flight, it resolves when none is, or after `maxDeferMs`;
 * - in a flood (`floodInFlight` callbacks in flight at once, within the last `floodWindowMs`), waiting items go one
 *   at a time, one every `maxDeferMs` across the worker and the sender together, so replies keep a trickle going
 *   and the acks get the CPU; when the flood has passed, every waiting item goes at once and the backlog drains.
 * Under a flood, callbacks arrive in waves (a group commit answers many at once), so "none in flight" happens
 * between waves and cannot be what lets the work through.
 */
export interface AckFirst {
  /** Wraps one callback's ack path. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when the worker or the sender may take its next item. */
  turn(): Promise<void>;
}

export interface AckFirstOptions {
  maxDeferMs?: number;
  floodInFlight?: number;
  floodWindowMs?: number;
  now?: () => number;
}

export function createAckFirst(options: AckFirstOptions = {}): AckFirst {
  const maxDeferMs = options.maxDeferMs ?? 50;
  const floodInFlight = options.floodInFlight ?? 8;
  const floodWindowMs = options.floodWindowMs ?? 200;
  const now = options.now ?? (() => performance.now());
  let inFlight = 0;
  let lastFloodAt = -Infinity;
  /** Waiting for no callback in flight (or their own maxDeferMs), outside a flood. */
  let waiters: (() => void)[] = [];
  /** Waiting in a flood: released one per tick. */
  const rationed: (() => void)[] = [];
  let ticker: NodeJS.Timeout | undefined;

  const flooding = (): boolean => now() - lastFloodAt < floodWindowMs;

  function releaseWaiters(): void {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  }

  function tick(): void {
    if (!flooding()) {
      ticker = undefined;
      for (const w of rationed.splice(0)) w();
      return;
    }
    rationed.shift()?.();
    if (rationed.length === 0) {
      ticker = undefined;
      return;
    }
    ticker = setTimeout(tick, maxDeferMs);
  }

  return {
    async track(work) {
      inFlight += 1;
      if (inFlight >= floodInFlight) lastFloodAt = now();
      try {
        return await work;
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && waiters.length > 0) releaseWaiters();
      }
    },
    turn() {
      if (flooding()) {
        return new Promise<void>((resolve) => {
          rationed.push(resolve);
          ticker ??= setTimeout(tick, maxDeferMs);
        });
      }
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxDeferMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
