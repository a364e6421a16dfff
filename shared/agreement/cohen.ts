/**
 * Cohen's kappa for two coders (1960), weighted (Cohen 1968) with linear or quadratic weights
 * by category position:
 *
 *   po = Σ_ab w_ab p_ab      pe = Σ_ab w_ab p_a· p_·b      κ = (po − pe) / (1 − pe)
 *
 * over the units both coders coded. The bootstrap resamples those units: each is one cell of
 * the q × q table, so a replicate is a multinomial draw over the table's cells.
 */
import { Contributions, resolveBootstrap } from './bootstrap.ts';
import { codeUnits } from './data.ts';
import type { BootstrapOptions, Figure, Value, ValuePairs } from './types.ts';
import { undefinedFigure } from './types.ts';
import { agreementWeights } from './weights.ts';

export interface CohenOptions {
  readonly weights?: 'linear' | 'quadratic';
  /** All categories in order (needed for weights when values are not numbers). */
  readonly categories?: readonly Value[];
  readonly bootstrap?: BootstrapOptions | false;
}

export type CohenResult = Figure & {
  /** Units both coders coded. */
  readonly pairs: number;
  readonly categories: readonly Value[];
  readonly observedAgreement: number | null;
  readonly chanceAgreement: number | null;
};

const EPS = 1e-12;

function kappa(table: Float64Array, w: Float64Array, q: number): { po: number; pe: number; value: number | null } | null {
  // Counts are summed before dividing, so that perfect agreement gives exactly 1.
  let n = 0;
  for (let i = 0; i < table.length; i++) n += table[i]!;
  if (n === 0) return null;
  const rows = new Float64Array(q);
  const cols = new Float64Array(q);
  let agree = 0;
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      const k = table[a * q + b]!;
      rows[a]! += k;
      cols[b]! += k;
      agree += w[a * q + b]! * k;
    }
  }
  let chance = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) chance += w[a * q + b]! * rows[a]! * cols[b]!;
  const po = agree / n;
  const pe = chance / (n * n);
  return { po, pe, value: 1 - pe <= EPS ? null : (po - pe) / (1 - pe) };
}

export function cohenKappa(pairs: ValuePairs, opts: CohenOptions = {}): CohenResult {
  const complete: (readonly [Value, Value])[] = [];
  for (const p of pairs) if (p[0] !== null && p[0] !== undefined && p[1] !== null && p[1] !== undefined) complete.push(p as readonly [Value, Value]);
  const metric = `Cohen's kappa${opts.weights ? ` (${opts.weights} weights)` : ''}`;
  // Each pair is a unit of two values: coded in one pass, its two codes side by side.
  const { categories, codes } = codeUnits(complete, { categories: opts.categories, ordered: opts.weights !== undefined, metric, item: 'pair' });
  const q = categories.length;
  const cells = new Float64Array(q * q);
  for (let i = 0; i < codes.length; i += 2) cells[codes[i]! * q + codes[i + 1]!]!++;
  const w = agreementWeights(q, opts.weights ?? 'identity');
  const k = kappa(cells, w, q);
  const counts = { pairs: complete.length, categories, observedAgreement: k?.po ?? null, chanceAgreement: k?.pe ?? null };
  if (!k) return { ...undefinedFigure('no_pairable_values', 'no unit was coded by both coders'), ...counts };
  if (k.value === null) return { ...undefinedFigure('one_category_only'), ...counts };
  const c = new Contributions(q * q);
  cells.forEach((count, cell) => {
    if (count > 0) c.add(count, [[cell, 1]]);
  });
  const ci = c.bootstrap((table) => kappa(table, w, q)?.value ?? null, resolveBootstrap(opts.bootstrap));
  return { defined: true, value: k.value, ci, ...counts };
}
