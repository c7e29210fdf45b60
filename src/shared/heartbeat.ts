/**
 * Calls `beat` every `everyMs` until stopped, one beat at a time (a beat still running when the next is due makes
 * that one skip). Leases are kept short and renewed this way while their work runs, so a process that dies releases
 * its work within one lease instead of a lease sized for the slowest possible work.
 */
export function startHeartbeat(
  everyMs: number,
  beat: () => Promise<void>,
): { idle(): Promise<void>; stop(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = beat()
      .catch(() => undefined)
      .finally(() => {
        inFlight = null;
      });
  }, everyMs);
  timer.unref();
  return {
    /** Resolves when no beat is running (the next one sees what changed before this call). */
    async idle() {
      await inFlight;
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
