/**
 * Kendall's tau-b (1945), which allows ties:
 *
 *   τ_b = (C − D) / √((n₀ − n₁)(n₀ − n₂))
 *
 * C and D are the concordant and discordant pairs, n₀ = n(n − 1)/2, n₁ and n₂ the pairs tied in
 * the first and second ranking. Counted in O(n log n) by Knight's method (sort by both, then
 * count the exchanges a merge sort on the second needs). The p-value is the asymptotic,
 * tie-corrected normal test of SciPy's `kendalltau(method='asymptotic')` and R's
 * `cor.test(method = "kendall", exact = FALSE)`.
 */
import { bootstrapIndices, groupedRows, resolveBootstrap } from './bootstrap.ts';
import { normalTwoSidedP } from './special.ts';
import type { BootstrapOptions, Figure } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export type Rank = number | null | undefined;

export interface TauCounts {
  /** Items ranked by both. */
  readonly n: number;
  readonly concordant: number;
  readonly discordant: number;
  /** Pairs tied in the first ranking only, in the second only, and in both. */
  readonly tiedFirst: number;
  readonly tiedSecond: number;
  readonly tiedBoth: number;
}

export type TauResult = Figure & TauCounts & {
  /** Two-sided p-value for τ = 0 (null when undefined or n < 3 leaves no variance). */
  readonly pValue: number | null;
};

interface TieSums {
  /** Σ t(t−1)/2, Σ t(t−1)(t−2), Σ t(t−1)(2t+5) over groups of t tied items. */
  pairs: number;
  v0: number;
  v1: number;
}

function tieSums(sorted: ArrayLike<number>, order: Int32Array): TieSums {
  const s: TieSums = { pairs: 0, v0: 0, v1: 0 };
  let run = 1;
  for (let i = 1; i <= order.length; i++) {
    if (i < order.length && sorted[order[i]!] === sorted[order[i - 1]!]) {
      run++;
      continue;
    }
    if (run > 1) {
      s.pairs += (run * (run - 1)) / 2;
      s.v0 += run * (run - 1) * (run - 2);
      s.v1 += run * (run - 1) * (2 * run + 5);
    }
    run = 1;
  }
  return s;
}

/** Counts and tie sums for complete pairs (x[i], y[i]). */
function count(x: Float64Array, y: Float64Array): { counts: TauCounts; tx: TieSums; ty: TieSums } {
  const n = x.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const tx = tieSums(x, order);
  let both = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && x[order[i]!] === x[order[i - 1]!] && y[order[i]!] === y[order[i - 1]!]) {
      run++;
      continue;
    }
    both += (run * (run - 1)) / 2;
    run = 1;
  }
  // Merge sort on y, counting the strict inversions: the discordant pairs.
  let a = order;
  let b = new Int32Array(n);
  let discordant = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (y[a[j]!]! < y[a[i]!]!) {
          discordant += mid - i;
          b[k++] = a[j++]!;
        } else b[k++] = a[i++]!;
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    [a, b] = [b, a];
  }
  const ty = tieSums(y, a);
  const total = (n * (n - 1)) / 2;
  const concordant = total - tx.pairs - ty.pairs + both - discordant;
  return {
    counts: { n, concordant, discordant, tiedFirst: tx.pairs - both, tiedSecond: ty.pairs - both, tiedBoth: both },
    tx,
    ty,
  };
}

function tauOf(c: TauCounts): number | null {
  const total = (c.n * (c.n - 1)) / 2;
  const denX = total - c.tiedFirst - c.tiedBoth;
  const denY = total - c.tiedSecond - c.tiedBoth;
  if (c.n < 2 || denX === 0 || denY === 0) return null;
  return Math.max(-1, Math.min(1, (c.concordant - c.discordant) / Math.sqrt(denX) / Math.sqrt(denY)));
}

function pValueOf(c: TauCounts, tx: TieSums, ty: TieSums): number | null {
  const n = c.n;
  if (n < 3) return null;
  const m = n * (n - 1);
  const variance = (m * (2 * n + 5) - tx.v1 - ty.v1) / 18 + (2 * tx.pairs * ty.pairs) / m + (tx.v0 * ty.v0) / (9 * m * (n - 2));
  if (!(variance > 0)) return null;
  return Math.min(1, normalTwoSidedP((c.concordant - c.discordant) / Math.sqrt(variance)));
}

function completePairs(x: readonly Rank[], y: readonly Rank[]): { x: Float64Array; y: Float64Array } {
  if (x.length !== y.length) throw new AgreementInputError(`the two rankings have different lengths (${x.length} and ${y.length})`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new AgreementInputError(`item ${i + 1}: ranks must be finite numbers`);
    xs.push(a);
    ys.push(b);
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/**
 * Kendall's tau-b between two rankings of the same items (lower = better or worse, as long as
 * both use the same direction); a missing rank on either side leaves the item out. The
 * bootstrap redraws items.
 */
export function kendallTauB(x: readonly Rank[], y: readonly Rank[], opts: { bootstrap?: BootstrapOptions | false } = {}): TauResult {
  const pairs = completePairs(x, y);
  const { counts, tx, ty } = count(pairs.x, pairs.y);
  const tau = tauOf(counts);
  const base = { ...counts, pValue: null };
  if (counts.n < 2) return { ...undefinedFigure('too_few_items', 'fewer than two items were ranked by both'), ...base };
  if (tau === null) return { ...undefinedFigure('ranking_all_tied'), ...base };
  const bx = new Float64Array(counts.n);
  const by = new Float64Array(counts.n);
  const ci = bootstrapIndices(
    counts.n,
    (idx) => {
      for (let i = 0; i < idx.length; i++) {
        bx[i] = pairs.x[idx[i]!]!;
        by[i] = pairs.y[idx[i]!]!;
      }
      return tauOf(count(bx, by).counts);
    },
    resolveBootstrap(opts.bootstrap),
  );
  return { defined: true, value: tau, ci, ...counts, pValue: pValueOf(counts, tx, ty) };
}

export type MeanTauResult = Figure & {
  /** Units (e.g. tasks) whose tau-b was defined and averaged. */
  readonly units: number;
  /** Units left out: too few items ranked by both, or one ranking all tied. */
  readonly excludedUnits: number;
};

/**
 * The mean of per-unit tau-b, for many small rankings (one per task: each coder's ranks of its
 * responses). The bootstrap redraws units.
 */
export function meanKendallTauB(rankings: readonly { readonly x: readonly Rank[]; readonly y: readonly Rank[] }[], opts: { bootstrap?: BootstrapOptions | false } = {}): MeanTauResult {
  const taus: number[] = [];
  for (const r of rankings) {
    const p = completePairs(r.x, r.y);
    const t = tauOf(count(p.x, p.y).counts);
    if (t !== null) taus.push(t);
  }
  const counts = { units: taus.length, excludedUnits: rankings.length - taus.length };
  if (taus.length === 0) return { ...undefinedFigure(rankings.length === 0 ? 'too_few_items' : 'ranking_all_tied', 'no unit has two items ranked by both coders without one ranking tying them all'), ...counts };
  const c = groupedRows(1, taus);
  const mean = (s: Float64Array) => (s[1]! > 0 ? s[0]! / s[1]! : null);
  return { defined: true, value: mean(c.sum())!, ci: c.bootstrap(mean, resolveBootstrap(opts.bootstrap)), ...counts };
}
