import { describe, expect, it } from 'vitest';
import { makeMysqlGuard } from '../../../src/store/mysql/mysqlErrors.js';
import { StoreUnavailableError } from '../../../src/shared/errors.js';

/** Like a drizzle query builder: nothing runs until then() is called, and every then() runs the query again. */
function lazyQuery<T>(result: () => T): { runs: number; then: PromiseLike<T>['then'] } {
  const q = {
    runs: 0,
    then<A = T, B = never>(
      ok?: ((v: T) => A | PromiseLike<A>) | null,
      fail?: ((e: unknown) => B | PromiseLike<B>) | null,
    ): PromiseLike<A | B> {
      q.runs += 1;
      return Promise.resolve().then(result).then(ok, fail);
    },
  };
  return q;
}

describe('makeMysqlGuard', () => {
  for (const deadline of [null, 1000]) {
    it(`runs a lazy query builder once (deadline ${deadline})`, async () => {
      const guard = makeMysqlGuard(deadline);
      const q = lazyQuery(() => 'row');
      await expect(guard(() => q as unknown as Promise<string>)).resolves.toBe('row');
      expect(q.runs).toBe(1);
    });

    it(`runs a failing lazy query once and passes its error on (deadline ${deadline})`, async () => {
      const guard = makeMysqlGuard(deadline);
      const q = lazyQuery(() => {
        throw Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' });
      });
      await expect(guard(() => q as unknown as Promise<string>)).rejects.toThrow('dup');
      expect(q.runs).toBe(1);
    });
  }

  it('gives up at the deadline with StoreUnavailableError', async () => {
    const guard = makeMysqlGuard(20);
    await expect(guard(() => new Promise<never>(() => undefined))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});
