/**
 * Exact tests of a count of successes against chance: the binomial test, and its
 * generalisation to trials with different chances (a Poisson-binomial null: here, trials
 * showing different numbers of responses, each with chance 1/N).
 *
 * Two-sided p-values sum the probability of every outcome no more likely than the one
 * observed (with R's and SciPy's relative tolerance of 1e-7), as `binom.test` and
 * `scipy.stats.binomtest` do.
 */
import { binomialPmf } from './special.ts';
import { AgreementInputError } from './types.ts';

export type Alternative = 'two-sided' | 'greater' | 'less';

const RELATIVE_TOLERANCE = 1 + 1e-7;

/** P-value of `k` successes under the distribution `pmf` over 0..n. */
export function pValueFromPmf(pmf: Float64Array, k: number, alternative: Alternative = 'two-sided'): number {
  let p = 0;
  if (alternative === 'greater') for (let i = k; i < pmf.length; i++) p += pmf[i]!;
  else if (alternative === 'less') for (let i = 0; i <= k; i++) p += pmf[i]!;
  else {
    const d = (pmf[k] ?? 0) * RELATIVE_TOLERANCE;
    for (let i = 0; i < pmf.length; i++) if (pmf[i]! <= d) p += pmf[i]!;
  }
  return Math.min(1, p);
}

export function binomialTest(k: number, n: number, p: number, alternative: Alternative = 'two-sided'): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n) throw new AgreementInputError(`binomial test: need whole numbers 0 ≤ k ≤ n (got k=${k}, n=${n})`);
  if (!(p >= 0 && p <= 1)) throw new AgreementInputError(`binomial test: p must be within [0, 1] (got ${p})`);
  return pValueFromPmf(binomialPmf(n, p), k, alternative);
}

// Probabilities below this share of a distribution's peak are dropped from the convolution: all
// of them together weigh less than 1e-17, below what a double can add to a p-value near the
// counts that matter, and dropping them makes the convolution ~15 times cheaper than keeping
// everything down to underflow.
const NEGLIGIBLE = 1e-20;

/** Distribution of the total successes of independent groups of n trials with chance p each. */
export function poissonBinomialPmf(groups: readonly { readonly n: number; readonly p: number }[]): Float64Array {
  let dist = new Float64Array([1]);
  let offset = 0;
  for (const g of groups) {
    const pmf = binomialPmf(g.n, g.p);
    const cut = NEGLIGIBLE * peakOf(pmf);
    let lo = 0;
    let hi = g.n;
    while (lo < hi && pmf[lo]! < cut) lo++;
    while (hi > lo && pmf[hi]! < cut) hi--;
    const distCut = NEGLIGIBLE * peakOf(dist);
    const next = new Float64Array(dist.length + hi - lo);
    for (let i = 0; i < dist.length; i++) {
      const a = dist[i]!;
      if (a < distCut) continue;
      for (let j = lo; j <= hi; j++) next[i + j - lo]! += a * pmf[j]!;
    }
    // Trim the ends of the running distribution too, keeping its offset.
    let start = 0;
    let end = next.length - 1;
    const nextCut = NEGLIGIBLE * peakOf(next);
    while (start < end && next[start]! < nextCut) start++;
    while (end > start && next[end]! < nextCut) end--;
    dist = next.slice(start, end + 1);
    offset += lo + start;
  }
  const total = groups.reduce((s, g) => s + g.n, 0);
  const full = new Float64Array(total + 1);
  full.set(dist.subarray(0, Math.min(dist.length, total + 1 - offset)), offset);
  return full;
}

function peakOf(pmf: Float64Array): number {
  let max = 0;
  for (let i = 0; i < pmf.length; i++) if (pmf[i]! > max) max = pmf[i]!;
  return max;
}
