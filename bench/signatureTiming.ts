/**
 * bench/signatureTiming (reliability §5.3 B31): does the time to refuse a forged signature tell how much of it was
 * right? 10,000 callbacks whose msg_signature differs from the right one in its first character, 10,000 in its last,
 * sent in a shuffled order; the handler's time for each (opening the envelope up to the 403, measured in process so
 * that the network does not drown the signal) goes into a Welch t-test. p ≥ 0.01 = no difference detected.
 *
 * A bench and not a test: on a shared 2-core machine a timing test either fails now and then for no reason (the
 * t-test itself rejects 1 % of the time when nothing is wrong, and the neighbours' load shifts one group more than
 * the other) or is made so loose that it cannot fail. The comparison itself is crypto.timingSafeEqual
 * (src/wecom/crypto.ts), which is what this run checks from the outside.
 * Usage: npm run bench:timing [-- --n 10000 --rounds 3]
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openCallback, CallbackRejection } from '../src/wecom/envelope.js';
import { signCallback, textXml } from '../src/wecom/simulate.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const N = Number(args.get('n') ?? 10_000);
const ROUNDS = Number(args.get('rounds') ?? 3);

const credentials = {
  corpId: 'wwbenchtimingcorp',
  token: 'benchToken123',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

function flip(sig: string, at: number): string {
  const c = sig[at] === 'a' ? 'b' : 'a';
  return `${sig.slice(0, at)}${c}${sig.slice(at + 1)}`;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: number[], m: number): number {
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
}

/** erfc by Numerical Recipes' Chebyshev fit (|error| < 1.2e-7), enough for a p-value. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Welch's t and its two-sided p (normal approximation: the degrees of freedom are in the thousands). */
function welch(a: number[], b: number[]): { t: number; df: number; p: number } {
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a, ma) / a.length;
  const vb = variance(b, mb) / b.length;
  const t = (ma - mb) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { t, df, p: erfc(Math.abs(t) / Math.SQRT2) };
}

/** Drops the slowest 1 % (GC pauses, the neighbours' load), the same cut for both groups. */
function trimmed(xs: number[], cut: number): number[] {
  return xs.filter((x) => x <= cut);
}

function oneRound(): { first: number[]; last: number[] } {
  const now = new Date();
  const plaintext = textXml({
    corpId: credentials.corpId,
    from: 'bench',
    content: '你好',
    msgId: '1',
    createTime: Math.floor(now.getTime() / 1000),
    agentId: 1,
  });
  const signed = signCallback({ credentials, plaintext });
  const query = Object.fromEntries(new URLSearchParams(signed.query));
  const right = query['msg_signature']!;
  const forged = {
    first: { ...query, msg_signature: flip(right, 0) },
    last: { ...query, msg_signature: flip(right, 39) },
  };
  const order: ('first' | 'last')[] = [...Array<'first'>(N).fill('first'), ...Array<'last'>(N).fill('last')];
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  // Warm-up: the JIT settles before anything is measured.
  for (let i = 0; i < 2000; i++) attempt(forged[i % 2 === 0 ? 'first' : 'last'], signed.body, now);
  const times = { first: [] as number[], last: [] as number[] };
  for (const which of order) {
    const t0 = performance.now();
    attempt(forged[which], signed.body, now);
    times[which].push((performance.now() - t0) * 1000);
  }
  return times;
}

function attempt(query: Record<string, string>, body: string, now: Date): void {
  try {
    openCallback({ query, body, credentials, now, maxSkewSeconds: 300 });
    throw new Error('a forged signature was accepted');
  } catch (err) {
    if (!(err instanceof CallbackRejection) || err.status !== 403) throw err;
  }
}

console.log(
  `B31 signature timing: ${N} first-character vs ${N} last-character forgeries, ${ROUNDS} round(s)`,
);
for (let round = 1; round <= ROUNDS; round++) {
  const { first, last } = oneRound();
  const all = [...first, ...last].sort((a, b) => a - b);
  const cut = all[Math.floor(all.length * 0.99)]!;
  const raw = welch(first, last);
  const trim = welch(trimmed(first, cut), trimmed(last, cut));
  const fmt = (x: number) => x.toFixed(2);
  console.log(
    `round ${round}: mean first ${fmt(mean(first))} µs, last ${fmt(mean(last))} µs | ` +
      `Welch all: t=${raw.t.toFixed(2)} p=${raw.p.toFixed(3)} | 99 % trimmed: t=${trim.t.toFixed(2)} p=${trim.p.toFixed(3)} ` +
      `→ ${trim.p >= 0.01 ? 'no difference at p < 0.01' : 'DIFFERENCE at p < 0.01'}`,
  );
}
