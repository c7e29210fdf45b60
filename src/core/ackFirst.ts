/**
 * Acknowledgements first: the ack path (verify, decrypt, store, 200) has WeCom's 5 s deadline, replies have none.
 * While callbacks are in flight the worker and the sender wait before each item, until none is in flight or
 * `maxDeferMs` has passed, so under a flood they keep going at a trickle instead of taking the CPU the acks need,
 * and catch up when it passes. At ordinary rates nothing is in flight most of the time and nothing waits.
 */
export interface AckFirst {
  /** Wraps one callback's ack path. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when no callback is in flight, or after maxDeferMs. */
  turn(): Promise<void>;
}

export function createAckFirst(maxDeferMs = 50): AckFirst {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  return {
    async track(work) {
      inFlight += 1;
      try {
        return await work;
      } finally {
        inFlight -= 1;
        if (inFlight === 0 && waiters.length > 0) {
          const ready = waiters;
          waiters = [];
          for (const w of ready) w();
        }
      }
    },
    turn() {
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
