/**
 * Figures about one coder at a time: leniency against the group, and agreement with a
 * reference (gold items, or adjudicated answers). Each is a mean over units, with a bootstrap
 * over that coder's units.
 */
import { Contributions, groupedRows, resolveBootstrap } from './bootstrap.ts';
import { asTable, type RatingsInput } from './data.ts';
import { isColumnRatings, ratedColumns, type ColumnRatings } from './columns.ts';
import type { BootstrapOptions, Figure, Value } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export type CoderFigure<Extra> = { readonly coder: string } & Figure & Extra;

const meanOf = (s: Float64Array) => (s[1]! > 0 ? s[0]! / s[1]! : null);

function meanFigure(rows: number[], opts: { bootstrap?: BootstrapOptions | false }, reasonMessage: string): Figure {
  if (rows.length === 0) return undefinedFigure('no_shared_units', reasonMessage);
  const c = groupedRows(1, rows);
  return { defined: true, value: meanOf(c.sum())!, ci: c.bootstrap(meanOf, resolveBootstrap(opts.bootstrap)) };
}

/**
 * Matches and misses counted one at a time, for a share of hits without a list of 0/1 hits.
 * Which came first is kept: it is the order groupedRows would give the two patterns, so the
 * figure (and its bootstrap draws) is exactly the one a list of the same hits gives.
 */
export class HitTally {
  ones = 0;
  zeros = 0;
  private firstIsOne = false;

  /** A tally already counted: `firstIsOne` says whether the first hit was a match. */
  static of(ones: number, zeros: number, firstIsOne: boolean): HitTally {
    const t = new HitTally();
    t.ones = ones;
    t.zeros = zeros;
    t.firstIsOne = firstIsOne;
    return t;
  }

  get n(): number {
    return this.ones + this.zeros;
  }

  add(hit: boolean): void {
    if (this.n === 0) this.firstIsOne = hit;
    if (hit) this.ones++;
    else this.zeros++;
  }

  /** The share of hits with its bootstrap interval (undefined, with `message`, without any). */
  figure(bootstrap: BootstrapOptions | false | undefined, message: string): Figure {
    if (this.n === 0) return undefinedFigure('no_shared_units', message);
    const c = new Contributions(2);
    const one = () => this.ones > 0 && c.add(this.ones, [[1, 1], [0, 1]]);
    const zero = () => this.zeros > 0 && c.add(this.zeros, [[1, 1], [0, 0]]);
    if (this.firstIsOne) {
      one();
      zero();
    } else {
      zero();
      one();
    }
    return { defined: true, value: meanOf(c.sum())!, ci: c.bootstrap(meanOf, resolveBootstrap(bootstrap)) };
  }
}

/** The coders who rated some selected unit, with their columns. */
const rated = (r: ColumnRatings): { coder: string; col: Int32Array }[] => ratedColumns(r.columns, r.select).map((c) => ({ coder: r.coders[c]!, col: r.columns[c]! }));

export type LeniencyResult = CoderFigure<{
  /** Units this coder scored that at least one other coder scored too. */
  readonly units: number;
  /** The coder's mean score on those units, and the others' mean there. */
  readonly meanScore: number | null;
  readonly othersMean: number | null;
}>;

/**
 * Per coder: the mean of (their score − the mean of the other coders' scores) over the units
 * they share. Positive = more lenient (higher scores) than the group, negative = stricter.
 */
export function leniency(ratings: RatingsInput<number> | ColumnRatings, opts: { bootstrap?: BootstrapOptions | false } = {}): LeniencyResult[] {
  if (isColumnRatings(ratings)) return leniencyOfColumns(ratings, opts);
  const t = asTable(ratings);
  t.matrix.forEach((row, c) =>
    row.forEach((v, u) => {
      if (v !== null && typeof v !== 'number') throw new AgreementInputError(`leniency needs numeric scores; unit "${t.units[u]}", coder "${t.coders[c]}" has ${JSON.stringify(v)}`);
    }),
  );
  const sums = new Float64Array(t.units.length);
  const counts = new Int32Array(t.units.length);
  for (const row of t.matrix) {
    row.forEach((v, u) => {
      if (v === null) return;
      sums[u]! += v;
      counts[u]!++;
    });
  }
  return t.coders.map((coder, c) => {
    const tally = new LeniencyTally();
    t.matrix[c]!.forEach((v, u) => {
      if (v !== null && counts[u]! >= 2) tally.add(v, sums[u]!, counts[u]!);
    });
    return tally.result(coder, opts);
  });
}

/** One coder's differences from the others, unit by unit, and the leniency figure they make. */
class LeniencyTally {
  private readonly diffs: number[] = [];
  private own = 0;
  private others = 0;

  /** The coder's score v on a unit whose scores (theirs included) sum to `sum` over `count` coders. */
  add(v: number, sum: number, count: number): void {
    const othersMean = (sum - v) / (count - 1);
    this.diffs.push(v - othersMean);
    this.own += v;
    this.others += othersMean;
  }

  result(coder: string, opts: { bootstrap?: BootstrapOptions | false }): LeniencyResult {
    const n = this.diffs.length;
    return {
      coder,
      ...meanFigure(this.diffs, opts, 'this coder scored no unit that another coder scored'),
      units: n,
      meanScore: n ? this.own / n : null,
      othersMean: n ? this.others / n : null,
    };
  }
}

/** Leniency on columns: the same figures leniency gives the rating table of the selected units. */
function leniencyOfColumns(r: ColumnRatings, opts: { bootstrap?: BootstrapOptions | false }): LeniencyResult[] {
  const { select, dictionary } = r;
  const coders = rated(r);
  for (const { coder, col } of coders) {
    for (let i = 0; i < select.length; i++) {
      const g = col[select[i]!]!;
      if (g >= 0 && typeof dictionary[g] !== 'number') throw new AgreementInputError(`leniency needs numeric scores; unit "${select[i]}", coder "${coder}" has ${JSON.stringify(dictionary[g])}`);
    }
  }
  // Sums in coder order, as the table's rows are added.
  const sums = new Float64Array(select.length);
  const counts = new Int32Array(select.length);
  for (const { col } of coders) {
    for (let i = 0; i < select.length; i++) {
      const g = col[select[i]!]!;
      if (g < 0) continue;
      sums[i]! += dictionary[g] as number;
      counts[i]!++;
    }
  }
  return coders.map(({ coder, col }) => {
    const tally = new LeniencyTally();
    for (let i = 0; i < select.length; i++) {
      const g = col[select[i]!]!;
      if (g >= 0 && counts[i]! >= 2) tally.add(dictionary[g] as number, sums[i]!, counts[i]!);
    }
    return tally.result(coder, opts);
  });
}

export type ReferenceResult = CoderFigure<{
  /** Units with both a reference answer and this coder's answer. */
  readonly units: number;
  readonly matches: number;
}>;

export interface ReferenceOptions<V extends Value> {
  /** When a coder's answer counts as matching the reference (default: equal). */
  readonly match?: (given: V, reference: V) => boolean;
  readonly bootstrap?: BootstrapOptions | false;
}

const NO_REFERENCE = 'this coder answered no unit that has a reference answer';

/**
 * Per coder: accuracy against reference answers (gold, or adjudicated), over units with both.
 * The reference is a map by unit id, or for columns the reference answers' codes by unit
 * (NO_CODE where none) in the columns' dictionary.
 */
export function referenceAgreement(ratings: ColumnRatings, reference: Int32Array, opts?: ReferenceOptions<Value>): ReferenceResult[];
export function referenceAgreement<V extends Value>(ratings: RatingsInput<V>, reference: ReadonlyMap<string, V>, opts?: ReferenceOptions<V>): ReferenceResult[];
export function referenceAgreement<V extends Value>(ratings: RatingsInput<V> | ColumnRatings, reference: ReadonlyMap<string, V> | Int32Array, opts: ReferenceOptions<V> = {}): ReferenceResult[] {
  const match = opts.match ?? ((a: V, b: V) => a === b);
  if (isColumnRatings(ratings)) {
    const { select, dictionary } = ratings;
    const codes = reference as Int32Array;
    return rated(ratings).map(({ coder, col }) => {
      const hits = new HitTally();
      for (let i = 0; i < select.length; i++) {
        const u = select[i]!;
        const g = col[u]!;
        const ref = codes[u]!;
        if (g >= 0 && ref >= 0) hits.add(match(dictionary[g] as V, dictionary[ref] as V));
      }
      return { coder, ...hits.figure(opts.bootstrap, NO_REFERENCE), units: hits.n, matches: hits.ones };
    });
  }
  const byUnit = reference as ReadonlyMap<string, V>;
  const t = asTable(ratings);
  return t.coders.map((coder, c) => {
    const hits: number[] = [];
    t.matrix[c]!.forEach((v, u) => {
      const ref = byUnit.get(t.units[u]!);
      if (v === null || ref === undefined) return;
      hits.push(match(v, ref) ? 1 : 0);
    });
    return {
      coder,
      ...meanFigure(hits, opts, NO_REFERENCE),
      units: hits.length,
      matches: hits.reduce((s, h) => s + h, 0),
    };
  });
}
