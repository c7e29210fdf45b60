import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAckFirst } from '../../../src/core/ackFirst.js';

/** A callback in flight until its `done()` is called. */
function pending(): { promise: Promise<void>; done(): void } {
  let done!: () => void;
  const promise = new Promise<void>((r) => (done = r));
  return { promise, done };
}

describe('ackFirst', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () =>
    createAckFirst({ maxDeferMs: 50, floodInFlight: 3, floodWindowMs: 200, now: () => Date.now() });

  it('lets work go at once when no callback is in flight', async () => {
    const gate = make();
    let went = false;
    void gate.turn().then(() => (went = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(went).toBe(true);
  });

  it('outside a flood, holds work until the callbacks in flight are done (or maxDeferMs)', async () => {
    const gate = make();
    const cb = pending();
    const acked = gate.track(cb.promise);
    let went = false;
    void gate.turn().then(() => (went = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(went).toBe(false);
    cb.done();
    await acked;
    await vi.advanceTimersByTimeAsync(0);
    expect(went).toBe(true);

    const slow = pending();
    void gate.track(slow.promise);
    let late = false;
    void gate.turn().then(() => (late = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(late).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(late).toBe(true);
    slow.done();
  });

  it('in a flood, lets one item go per maxDeferMs even between waves, then all once the flood has passed', async () => {
    const gate = make();
    const wave = [pending(), pending(), pending()];
    const tracked = wave.map((p) => gate.track(p.promise));
    const went: number[] = [];
    for (let i = 0; i < 5; i++) void gate.turn().then(() => went.push(i));
    // The wave is answered: nothing in flight, but the flood is recent, so the work stays rationed.
    for (const p of wave) p.done();
    await Promise.all(tracked);
    await vi.advanceTimersByTimeAsync(0);
    expect(went).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(went).toEqual([0]);
    await vi.advanceTimersByTimeAsync(50);
    expect(went).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(50);
    expect(went).toEqual([0, 1, 2]);
    // 200 ms after the last flood: the rest go together.
    await vi.advanceTimersByTimeAsync(50);
    expect(went).toEqual([0, 1, 2, 3, 4]);
    let after = false;
    void gate.turn().then(() => (after = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(after).toBe(true);
  });
});
