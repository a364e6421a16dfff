/**
 * Position and length bias: how often the chosen response is the one displayed first (or the
 * longest), against the 1/N chance of an annotator with no such leaning, N being the number of
 * responses shown. Exact test: binomial when every trial shows the same N (for two responses
 * that is the sign test), Poisson-binomial when N varies.
 */
import { binomialTest, poissonBinomialPmf, pValueFromPmf } from './exact-test.ts';
import type { Figure } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export interface ChanceTrial {
  /** Responses shown (≥ 2): chance of a hit is 1/options. */
  readonly options: number;
  readonly hit: boolean;
}

export interface RateByOptions {
  readonly options: number;
  readonly trials: number;
  readonly hits: number;
  readonly rate: number;
  readonly expectedRate: number;
  /** Exact two-sided binomial test within this group. */
  readonly pValue: number;
}

export type ChanceRateResult = Figure & {
  readonly trials: number;
  readonly hits: number;
  /** What chance predicts: the mean of 1/N over the trials (null without trials). */
  readonly expectedRate: number | null;
  /** Exact two-sided test of the hit count against chance (null without trials). */
  readonly pValue: number | null;
  /** Wilson 95% score interval of the rate; `ci` stays null (no bootstrap needed). */
  readonly wilson: { readonly lower: number; readonly upper: number } | null;
  readonly byOptions: readonly RateByOptions[];
};

const Z95 = 1.959963984540054;

function wilson(hits: number, n: number): { lower: number; upper: number } {
  const p = hits / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Hits and trials per number of options, counted one trial at a time (no list of trials kept). */
class ChanceTally {
  private readonly groups = new Map<number, { trials: number; hits: number }>();
  private n = 0;

  add(options: number, hit: boolean): void {
    if (!Number.isInteger(options) || options < 2) throw new AgreementInputError(`a trial must show at least two responses (got ${options})`);
    let g = this.groups.get(options);
    if (!g) this.groups.set(options, (g = { trials: 0, hits: 0 }));
    g.trials++;
    if (hit) g.hits++;
    this.n++;
  }

  result(): ChanceRateResult {
    const byOptions: RateByOptions[] = [...this.groups.entries()]
      .sort(([a], [b]) => a - b)
      .map(([options, g]) => ({ options, ...g, rate: g.hits / g.trials, expectedRate: 1 / options, pValue: binomialTest(g.hits, g.trials, 1 / options) }));
    const n = this.n;
    const hits = byOptions.reduce((s, g) => s + g.hits, 0);
    if (n === 0) return { ...undefinedFigure('no_trials'), trials: 0, hits: 0, expectedRate: null, pValue: null, wilson: null, byOptions };
    const expectedRate = byOptions.reduce((s, g) => s + g.trials / g.options, 0) / n;
    const pValue = byOptions.length === 1 ? byOptions[0]!.pValue : pValueFromPmf(poissonBinomialPmf(byOptions.map((g) => ({ n: g.trials, p: 1 / g.options }))), hits);
    return { defined: true, value: hits / n, ci: null, trials: n, hits, expectedRate, pValue, wilson: wilson(hits, n), byOptions };
  }
}

/** The hit rate of these trials against chance 1/N, overall and per N. */
export function chanceRate(trials: readonly ChanceTrial[]): ChanceRateResult {
  const tally = new ChanceTally();
  for (const t of trials) tally.add(t.options, t.hit);
  return tally.result();
}

export interface PositionTrial {
  /** Responses displayed. */
  readonly displayed: number;
  /** Displayed position (0 = first) of the preferred response; null for a tie or no preference. */
  readonly chosenPosition: number | null;
}

export type PositionBiasResult = ChanceRateResult & {
  /** Trials left out: a tie, both unacceptable, or no preference. */
  readonly excluded: number;
};

/**
 * Trials held in columns (the dashboard's fact store: a few typed arrays rather than an object
 * per trial): trial `rows[i]` showed `displayed[r]` responses, the preferred one at displayed
 * position `chosenPosition[r]` (−1: a tie or no preference).
 */
export interface PositionColumns {
  readonly rows: ArrayLike<number>;
  readonly displayed: ArrayLike<number>;
  readonly chosenPosition: ArrayLike<number>;
}

/** How often the preferred response is the one displayed at `position` (default: first). */
export function positionBias(trials: readonly PositionTrial[] | PositionColumns, position = 0): PositionBiasResult {
  const tally = new ChanceTally();
  let excluded = 0;
  const one = (displayed: number, chosenPosition: number | null) => {
    if (chosenPosition === null) {
      excluded++;
      return;
    }
    if (!Number.isInteger(chosenPosition) || chosenPosition < 0 || chosenPosition >= displayed) throw new AgreementInputError(`chosen position ${chosenPosition} is not among the ${displayed} displayed`);
    tally.add(displayed, chosenPosition === position);
  };
  if (isList(trials)) for (const t of trials) one(t.displayed, t.chosenPosition);
  else {
    const { rows, displayed, chosenPosition } = trials;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const p = chosenPosition[r]!;
      one(displayed[r]!, p === -1 ? null : p);
    }
  }
  return { ...tally.result(), excluded };
}

const isList = <T>(trials: readonly T[] | object): trials is readonly T[] => Array.isArray(trials);

export interface LengthTrial {
  /** Length of each response (characters, words or tokens: the same unit throughout). */
  readonly lengths: readonly number[];
  /** Index into `lengths` of the preferred response; null for a tie or no preference. */
  readonly chosen: number | null;
}

export type LengthBiasResult = ChanceRateResult & {
  /** Trials left out because no response was preferred. */
  readonly excludedNoChoice: number;
  /** Trials left out because the longest length is shared, so "chose the longest" is moot. */
  readonly excludedTiedLongest: number;
};

/**
 * Length trials in columns: trial `rows[i]` offered the responses whose lengths are
 * `lengths[lengthAt[r] …  lengthAt[r] + lengthCount[r] − 1]` (trials on one task share them) and
 * preferred the one at index `chosen[r]` among them (−1: none).
 */
export interface LengthColumns {
  readonly rows: ArrayLike<number>;
  readonly chosen: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
  readonly lengthAt: ArrayLike<number>;
  readonly lengthCount: ArrayLike<number>;
}

/** How often the preferred response is the (strictly) longest one. */
export function lengthBias(trials: readonly LengthTrial[] | LengthColumns): LengthBiasResult {
  const tally = new ChanceTally();
  let noChoice = 0;
  let tied = 0;
  // One trial: its lengths are lengths[from, from + count).
  const one = (lengths: ArrayLike<number>, from: number, count: number, chosen: number | null) => {
    if (chosen === null) {
      noChoice++;
      return;
    }
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= count) throw new AgreementInputError(`chosen response ${chosen} is not among the ${count} given`);
    // The longest length and how many responses share it, in one pass (this runs per trial).
    let longest = -Infinity;
    let sharing = 0;
    for (let k = from; k < from + count; k++) {
      const l = lengths[k]!;
      if (l > longest) {
        longest = l;
        sharing = 1;
      } else if (l === longest) sharing++;
    }
    if (sharing > 1) {
      tied++;
      return;
    }
    tally.add(count, lengths[from + chosen] === longest);
  };
  if (isList(trials)) for (const t of trials) one(t.lengths, 0, t.lengths.length, t.chosen);
  else {
    const { rows, chosen, lengths, lengthAt, lengthCount } = trials;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const c = chosen[r]!;
      one(lengths, lengthAt[r]!, lengthCount[r]!, c === -1 ? null : c);
    }
  }
  return { ...tally.result(), excludedNoChoice: noChoice, excludedTiedLongest: tied };
}
