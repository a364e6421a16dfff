/**
 * Percent agreement, Fleiss' kappa and Gwet's AC1 (AC2 with weights) for any number of coders
 * and missing values, in the framework of Gwet's Handbook of Inter-Rater Reliability (4th ed.,
 * 2014), as implemented in his R package irrCAC:
 *
 *   pa  = mean over units with ≥ 2 values of Σ_k r_uk (r*_uk − 1) / (m_u (m_u − 1)),
 *         where r*_uk = Σ_l w_kl r_ul (r_uk = values of category k in unit u, m_u = Σ_k r_uk)
 *   π_k = mean over units with ≥ 1 value of r_uk / m_u
 *   Fleiss:  pe = Σ_kl w_kl π_k π_l                       κ = (pa − pe) / (1 − pe)
 *   AC1/AC2: pe = Σ_kl w_kl / (q (q − 1)) · Σ_k π_k (1 − π_k)   AC = (pa − pe) / (1 − pe)
 *
 * With every unit coded by the same number of coders, Fleiss' kappa here is exactly Fleiss'
 * (1971). q is the number of categories: those given, or those that occur.
 */
import { Contributions, resolveBootstrap } from './bootstrap.ts';
import { codedPatterns } from './data.ts';
import type { UnitsInput } from './columns.ts';
import type { BootstrapOptions, Figure, Value } from './types.ts';
import { undefinedFigure } from './types.ts';
import { agreementWeights } from './weights.ts';

export interface GwetOptions {
  /** All categories (needed for AC1 when some never occur, and for the order of weights). */
  readonly categories?: readonly Value[];
  /** Partial credit between ordered categories (AC2, weighted Fleiss, weighted percent). */
  readonly weights?: 'linear' | 'quadratic';
  readonly bootstrap?: BootstrapOptions | false;
}

export type GwetResult = Figure & {
  readonly units: number;
  /** Units with values from two or more coders. */
  readonly pairableUnits: number;
  readonly categories: readonly Value[];
  /** Observed agreement pa, when any unit is pairable. */
  readonly observedAgreement: number | null;
  /** Chance agreement pe of this coefficient, when defined. */
  readonly chanceAgreement: number | null;
};

// Contribution layout: [0] pa_u, [1] unit counts towards pa, [2] unit counts towards π, [3 + k] r_uk / m_u.
function contributions(units: UnitsInput, opts: GwetOptions, metric: string): { c: Contributions; categories: readonly Value[]; w: Float64Array } {
  const { categories, patterns } = codedPatterns(units, { categories: opts.categories, ordered: opts.weights !== undefined, metric });
  const q = categories.length;
  const w = agreementWeights(q, opts.weights ?? 'identity');
  const c = new Contributions(3 + q);
  for (const p of patterns) {
    const m = p.size;
    const entries: [number, number][] = [[2, 1]];
    for (const [k, r] of p.counts) entries.push([3 + k, r / m]);
    if (m >= 2) {
      let agree = 0;
      for (const [k, r] of p.counts) {
        let rStar = 0;
        for (const [l, rl] of p.counts) rStar += w[k * q + l]! * rl;
        agree += r * (rStar - 1);
      }
      entries.push([0, agree / (m * (m - 1))], [1, 1]);
    }
    c.add(p.units, entries);
  }
  return { c, categories, w };
}

type Chance = (pi: Float64Array, w: Float64Array, q: number) => number | null;

const fleissChance: Chance = (pi, w, q) => {
  let pe = 0;
  for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) pe += w[k * q + l]! * pi[k]! * pi[l]!;
  return pe;
};

const gwetChance: Chance = (pi, w, q) => {
  if (q < 2) return null;
  let tw = 0;
  for (let i = 0; i < q * q; i++) tw += w[i]!;
  let spread = 0;
  for (let k = 0; k < q; k++) spread += pi[k]! * (1 - pi[k]!);
  return (tw / (q * (q - 1))) * spread;
};

const noChance: Chance = () => 0;

// Chance agreement this close to 1 means a single category in practice: the ratio is noise.
const EPS = 1e-12;

function coefficient(sums: Float64Array, w: Float64Array, q: number, chance: Chance): { pa: number | null; pe: number | null; value: number | null } {
  if (sums[1]! === 0) return { pa: null, pe: null, value: null };
  const pa = sums[0]! / sums[1]!;
  const pi = new Float64Array(q);
  for (let k = 0; k < q; k++) pi[k] = sums[3 + k]! / sums[2]!;
  const pe = chance(pi, w, q);
  if (pe === null || 1 - pe <= EPS) return { pa, pe, value: null };
  return { pa, pe, value: (pa - pe) / (1 - pe) };
}

function gwetFigure(units: UnitsInput, opts: GwetOptions, metric: string, chance: Chance): GwetResult {
  const { c, categories, w } = contributions(units, opts, metric);
  const q = categories.length;
  const sums = c.sum();
  const { pa, pe, value } = coefficient(sums, w, q, chance);
  const counts = { units: units.length, pairableUnits: sums[1]!, categories, observedAgreement: pa, chanceAgreement: pe };
  if (pa === null) return { ...undefinedFigure('no_pairable_values'), ...counts };
  if (value === null) return { ...undefinedFigure('one_category_only'), ...counts };
  const ci = c.bootstrap((s) => coefficient(s, w, q, chance).value, resolveBootstrap(opts.bootstrap));
  return { defined: true, value, ci, ...counts };
}

/** Share of agreeing pairs of values within units, averaged over units with two or more values. */
export function percentAgreement(units: UnitsInput, opts: GwetOptions = {}): GwetResult {
  return gwetFigure(units, opts, 'percent agreement', noChance);
}

/** Fleiss' kappa (1971), in Gwet's form for missing values; weighted with `weights`. */
export function fleissKappa(units: UnitsInput, opts: GwetOptions = {}): GwetResult {
  return gwetFigure(units, opts, "Fleiss' kappa", fleissChance);
}

/** Gwet's AC1 (AC2 with `weights`): stable where one category dominates. */
export function gwetAC1(units: UnitsInput, opts: GwetOptions = {}): GwetResult {
  return gwetFigure(units, opts, `Gwet's AC${opts.weights ? 2 : 1}`, gwetChance);
}
