/**
 * Figures about one coder at a time: leniency against the group, and agreement with a
 * reference (gold items, or adjudicated answers). Each is a mean over units, with a bootstrap
 * over that coder's units.
 */
import { groupedRows, resolveBootstrap } from './bootstrap.ts';
import { asTable, type RatingsInput } from './data.ts';
import type { BootstrapOptions, Figure, Value } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export type CoderFigure<Extra> = { readonly coder: string } & Figure & Extra;

const meanOf = (s: Float64Array) => (s[1]! > 0 ? s[0]! / s[1]! : null);

function meanFigure(rows: number[], opts: { bootstrap?: BootstrapOptions | false }, reasonMessage: string): Figure {
  if (rows.length === 0) return undefinedFigure('no_shared_units', reasonMessage);
  const c = groupedRows(1, rows);
  return { defined: true, value: meanOf(c.sum())!, ci: c.bootstrap(meanOf, resolveBootstrap(opts.bootstrap)) };
}

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
export function leniency(ratings: RatingsInput<number>, opts: { bootstrap?: BootstrapOptions | false } = {}): LeniencyResult[] {
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
    const diffs: number[] = [];
    let own = 0;
    let others = 0;
    t.matrix[c]!.forEach((v, u) => {
      if (v === null || counts[u]! < 2) return;
      const othersMean = (sums[u]! - v) / (counts[u]! - 1);
      diffs.push(v - othersMean);
      own += v;
      others += othersMean;
    });
    const n = diffs.length;
    return {
      coder,
      ...meanFigure(diffs, opts, 'this coder scored no unit that another coder scored'),
      units: n,
      meanScore: n ? own / n : null,
      othersMean: n ? others / n : null,
    };
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

/** Per coder: accuracy against reference answers (gold, or adjudicated), over units with both. */
export function referenceAgreement<V extends Value>(ratings: RatingsInput<V>, reference: ReadonlyMap<string, V>, opts: ReferenceOptions<V> = {}): ReferenceResult[] {
  const match = opts.match ?? ((a: V, b: V) => a === b);
  const t = asTable(ratings);
  return t.coders.map((coder, c) => {
    const hits: number[] = [];
    t.matrix[c]!.forEach((v, u) => {
      const ref = reference.get(t.units[u]!);
      if (v === null || ref === undefined) return;
      hits.push(match(v, ref) ? 1 : 0);
    });
    return {
      coder,
      ...meanFigure(hits, opts, 'this coder answered no unit that has a reference answer'),
      units: hits.length,
      matches: hits.reduce((s, h) => s + h, 0),
    };
  });
}
