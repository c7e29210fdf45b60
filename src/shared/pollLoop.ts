import { sleep } from './clock.js';
import { errorMessage } from './errors.js';

const WOKEN = 'woken';

export interface PollLoop {
  start(): void;
  /** Stops after the pass in flight; resolves when it is over. */
  stop(): Promise<void>;
  /** Cuts the current wait short: new work is there. */
  wake(): void;
  /** True once stop() was called on a started loop (a pass in flight should hand back what it has not begun). */
  isStopping(): boolean;
}

/**
 * Calls `runOnce` until stopped, waiting `pollMs` (or until woken) between passes. With `againWhenBusy`, a pass that
 * did some work is followed at once by another. A failed pass is logged and the loop goes on: the store or the API
 * may be back by the next one.
 */
export function createPollLoop(opts: {
  name: string;
  pollMs: number;
  logger: { error(obj: object, msg: string): void };
  runOnce: () => Promise<number>;
  againWhenBusy?: boolean;
}): PollLoop {
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp = new AbortController();

  async function runLoop(): Promise<void> {
    while (running) {
      let done = 0;
      try {
        done = await opts.runOnce();
      } catch (err) {
        opts.logger.error({ err: errorMessage(err) }, `${opts.name} poll failed`);
      }
      if (!running) break;
      if (opts.againWhenBusy && done > 0) continue;
      await sleep(opts.pollMs, wakeUp.signal);
      wakeUp = new AbortController();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      wakeUp.abort(WOKEN);
      await loop;
    },
    wake() {
      // Once per wait, with a plain reason: every stored callback calls this, and abort() without a reason builds
      // a DOMException with a stack trace each time.
      if (!wakeUp.signal.aborted) wakeUp.abort(WOKEN);
    },
    isStopping: () => !running && loop !== null,
  };
}
