/**
 * Redis rejects a PX of 0 or less and wants an integer; both key-value stores apply this same check, so code that
 * works on the in-memory store also works on Redis.
 */
export function validTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
