/**
 * Percentile bootstrap over units, made cheap enough for 100k units × 1000 replicates.
 *
 * Every figure here depends on the data only through sums of per-unit contributions (a unit's
 * share of observed agreement, its value counts, its coincidences). Units that received the
 * same values contribute the same, so they are grouped into patterns; a bootstrap replicate
 * (N units drawn with replacement) is then a multinomial draw of how many times each pattern
 * is taken, and the replicate's sums are those counts times the patterns' contributions. That
 * is the same distribution as redrawing units one by one, at a cost of O(patterns) per
 * replicate rather than O(units).
 */
import { Random, resampleGroups } from './random.ts';
import type { BootstrapOptions, Interval } from './types.ts';
import { AgreementInputError } from './types.ts';

export const DEFAULT_REPLICATES = 1000;
export const DEFAULT_SEED = 1;
export const DEFAULT_LEVEL = 0.95;

export interface ResolvedBootstrap {
  readonly replicates: number;
  readonly seed: number;
  readonly level: number;
}

export function resolveBootstrap(opts: BootstrapOptions | false | undefined): ResolvedBootstrap {
  if (opts === false) return { replicates: 0, seed: DEFAULT_SEED, level: DEFAULT_LEVEL };
  const replicates = opts?.replicates ?? DEFAULT_REPLICATES;
  const seed = opts?.seed ?? DEFAULT_SEED;
  const level = opts?.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(replicates) || replicates < 0) throw new AgreementInputError(`bootstrap replicates must be a whole number ≥ 0 (got ${replicates})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new AgreementInputError(`bootstrap seed must be a whole number from 0 to 4294967295 (got ${seed})`);
  if (!(level > 0 && level < 1)) throw new AgreementInputError(`bootstrap level must be between 0 and 1 (got ${level})`);
  return { replicates, seed, level };
}

/** Patterns of units with their multiplicities and sparse contribution rows. */
export class Contributions {
  private readonly starts: number[] = [0];
  private readonly index: number[] = [];
  private readonly value: number[] = [];
  private readonly weight: number[] = [];

  /** Dimensions of a row; grows if a pattern names a higher one. */
  constructor(public dims: number) {}

  get patterns(): number {
    return this.weight.length;
  }

  /** A pattern taken `count` times, contributing `entries` (dimension, amount) each time. */
  add(count: number, entries: readonly (readonly [number, number])[]): void {
    for (const [i, v] of entries) {
      if (v === 0) continue;
      if (i >= this.dims) this.dims = i + 1;
      this.index.push(i);
      this.value.push(v);
    }
    this.starts.push(this.index.length);
    this.weight.push(count);
  }

  /** The number of units behind all patterns. */
  units(): number {
    let n = 0;
    for (const w of this.weight) n += w;
    return n;
  }

  /** Σ count·row, into `out` (zeroed first). */
  sum(counts: ArrayLike<number> = this.weight, out = new Float64Array(this.dims)): Float64Array {
    out.fill(0);
    const { starts, index, value } = this;
    for (let p = 0; p < counts.length; p++) {
      const k = counts[p]!;
      if (k === 0) continue;
      for (let j = starts[p]!; j < starts[p + 1]!; j++) out[index[j]!]! += k * value[j]!;
    }
    return out;
  }

  /**
   * Percentile interval of `statistic(sums)` over bootstrap replicates of the units. A replicate
   * whose statistic is undefined (null) is counted and left out.
   */
  bootstrap(statistic: (sums: Float64Array) => number | null, opts: ResolvedBootstrap): Interval | null {
    if (opts.replicates === 0) return null;
    const rng = new Random(opts.seed);
    const total = this.units();
    const patterns = this.weight.length;
    const draws = new Float64Array(patterns);
    const sums = new Float64Array(this.dims);
    const values: number[] = [];
    const take = (v: number | null) => {
      if (v !== null && Number.isFinite(v)) values.push(v);
    };
    if (patterns * 16 <= total) {
      // Few patterns: a multinomial draw over them.
      const weights = Float64Array.from(this.weight);
      for (let r = 0; r < opts.replicates; r++) {
        resampleGroups(rng, weights, total, draws);
        take(statistic(this.sum(draws, sums)));
      }
      return percentileInterval(values, opts);
    }
    // Nearly as many patterns as units (continuous scores): redraw the units one by one, which is
    // then cheaper than a binomial per pattern; with short rows, add each drawn unit's row
    // straight into the sums.
    const patternOfUnit = new Int32Array(total);
    let at = 0;
    this.weight.forEach((w, p) => patternOfUnit.fill(p, at, (at += w)));
    const dims = this.dims;
    const dense = dims <= 64 ? new Float64Array(patterns * dims) : null;
    if (dense) for (let p = 0; p < patterns; p++) for (let j = this.starts[p]!; j < this.starts[p + 1]!; j++) dense[p * dims + this.index[j]!]! += this.value[j]!;
    for (let r = 0; r < opts.replicates; r++) {
      if (dense) {
        sums.fill(0);
        for (let i = 0; i < total; i++) {
          const row = patternOfUnit[rng.index(total)]! * dims;
          for (let d = 0; d < dims; d++) sums[d]! += dense[row + d]!;
        }
        take(statistic(sums));
      } else {
        draws.fill(0);
        for (let i = 0; i < total; i++) draws[patternOfUnit[rng.index(total)]!]!++;
        take(statistic(this.sum(draws, sums)));
      }
    }
    return percentileInterval(values, opts);
  }
}

/** Percentiles with linear interpolation between order statistics (numpy's default, R's type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function percentileInterval(values: number[], opts: ResolvedBootstrap): Interval | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const tail = (1 - opts.level) / 2;
  return {
    level: opts.level,
    lower: quantile(values, tail),
    upper: quantile(values, 1 - tail),
    replicates: opts.replicates,
    definedReplicates: values.length,
    seed: opts.seed,
  };
}

/**
 * For figures that are not sums over units (Kendall's tau-b between two long rankings): redraw
 * the n items' indices for each replicate and recompute.
 */
export function bootstrapIndices(n: number, statistic: (indices: Int32Array) => number | null, opts: ResolvedBootstrap): Interval | null {
  if (opts.replicates === 0 || n === 0) return null;
  const rng = new Random(opts.seed);
  const idx = new Int32Array(n);
  const values: number[] = [];
  for (let r = 0; r < opts.replicates; r++) {
    for (let i = 0; i < n; i++) idx[i] = rng.below(n);
    const v = statistic(idx);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  return percentileInterval(values, opts);
}

/**
 * Per-unit rows of `width` numbers (flat), grouped when equal, plus a last dimension counting
 * units: for figures that are means of per-unit quantities (leniency, first-error agreement).
 */
export function groupedRows(width: number, rows: ArrayLike<number>): Contributions {
  // Equal rows by a trie of maps, one level per number (no string key per row); the groups in
  // the order first met. Map keys compare as the numbers' text would: 0 and −0 alike, NaN alike.
  const root = new Map<number, unknown>();
  const groups: { count: number; at: number }[] = [];
  for (let at = 0; at < rows.length; at += width) {
    let level = root;
    for (let j = 0; j < width - 1; j++) {
      let next = level.get(rows[at + j]!) as Map<number, unknown> | undefined;
      if (!next) level.set(rows[at + j]!, (next = new Map()));
      level = next;
    }
    const last = rows[at + width - 1]!;
    const g = level.get(last) as { count: number; at: number } | undefined;
    if (g) g.count++;
    else {
      const made = { count: 1, at };
      level.set(last, made);
      groups.push(made);
    }
  }
  const c = new Contributions(width + 1);
  for (const { count, at } of groups) {
    const entries: [number, number][] = [[width, 1]];
    for (let j = 0; j < width; j++) entries.push([j, rows[at + j]!]);
    c.add(count, entries);
  }
  return c;
}
