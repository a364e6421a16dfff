/**
 * Krippendorff's alpha by its coincidence-matrix formulation (Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability", 2011), for any number of coders and missing values:
 *
 *   α = 1 − D_o / D_e = 1 − (n − 1) · Σ_u d_u / Σ_ck n_c n_k δ²_ck
 *   d_u = Σ_ck n_uc n_uk δ²_ck / (m_u − 1)     (units with m_u ≥ 2 values: the pairable ones)
 *
 * n_uc counts value c in unit u, n_c = Σ_u n_uc over pairable units, n = Σ_c n_c. The metric δ²:
 *   nominal  [c ≠ k]
 *   ordinal  (Σ_{g=c..k} n_g − (n_c + n_k)/2)²   (depends on the marginals n_g)
 *   interval (c − k)²
 *   ratio    ((c − k) / (c + k))²
 *
 * Everything is a sum over units of a unit's contribution (its d_u, m_u and value counts, and
 * for ordinal its coincidences), so the bootstrap resamples units through those sums.
 */
import { Contributions, resolveBootstrap } from './bootstrap.ts';
import { codeUnits, patternsOf, type Pattern } from './data.ts';
import type { BootstrapOptions, Figure, UnitValues, Value } from './types.ts';
import { AgreementInputError, undefinedFigure } from './types.ts';

export type Level = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface AlphaOptions {
  readonly level?: Level;
  /** All categories (nominal, ordinal: in order); unused ones change nothing but are allowed. */
  readonly categories?: readonly Value[];
  readonly bootstrap?: BootstrapOptions | false;
}

export type AlphaResult = Figure & {
  readonly level: Level;
  readonly units: number;
  /** Units with values from two or more coders. */
  readonly pairableUnits: number;
  /** Values in pairable units (n). */
  readonly pairableValues: number;
  readonly observedDisagreement: number | null;
  readonly expectedDisagreement: number | null;
};

interface Layout {
  readonly dims: number;
  /** Size of the largest δ², so that "no expected disagreement" is judged relative to it. */
  readonly scale: number;
  /** A pattern's contribution entries. */
  contribution(p: Pattern): [number, number][];
  /** (n − 1)·Σd_u and Σ n_c n_k δ² from the summed contributions; null when n = 0. */
  totals(sums: Float64Array): { n: number; observed: number; expected: number } | null;
}

// Shared slots: [0] Σ d_u (unused by ordinal), [1] n; then level-specific ones.
function nominalOrRatioLayout(v: readonly number[], delta: (c: number, k: number) => number): Layout {
  const V = v.length;
  const d = new Float64Array(V * V);
  for (let c = 0; c < V; c++) for (let k = 0; k < V; k++) d[c * V + k] = delta(c, k);
  return {
    dims: 2 + V,
    scale: 1,
    contribution(p) {
      let within = 0;
      for (const [c, nc] of p.counts) for (const [k, nk] of p.counts) within += nc * nk * d[c * V + k]!;
      return [[0, within / (p.size - 1)], [1, p.size], ...p.counts.map(([c, nc]): [number, number] => [2 + c, nc])];
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      let expected = 0;
      for (let c = 0; c < V; c++) {
        const nc = s[2 + c]!;
        if (nc === 0) continue;
        for (let k = 0; k < V; k++) expected += nc * s[2 + k]! * d[c * V + k]!;
      }
      return { n, observed: s[0]!, expected };
    },
  };
}

// Interval: Σ_ck n_c n_k (c − k)² = 2 n Σ n_c c² − 2 (Σ n_c c)², so four numbers per unit suffice
// however many distinct values there are. Values are centred first, which leaves α unchanged
// and keeps that difference of large sums accurate.
function intervalLayout(v: readonly number[]): Layout {
  const centre = v.length ? (v[0]! + v[v.length - 1]!) / 2 : 0;
  const x = v.map((a) => a - centre);
  return {
    dims: 4,
    scale: Math.max(1e-300, (x[x.length - 1] ?? 0) ** 2),
    contribution(p) {
      let within = 0;
      let s1 = 0;
      let s2 = 0;
      for (const [c, nc] of p.counts) {
        s1 += nc * x[c]!;
        s2 += nc * x[c]! * x[c]!;
        for (const [k, nk] of p.counts) within += nc * nk * (x[c]! - x[k]!) ** 2;
      }
      return [[0, within / (p.size - 1)], [1, p.size], [2, s1], [3, s2]];
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      return { n, observed: s[0]!, expected: Math.max(0, 2 * n * s[3]! - 2 * s[2]! * s[2]!) };
    },
  };
}

// Ordinal: δ² depends on the marginals, which change from replicate to replicate, so a unit
// contributes its coincidences o_ck (c < k, both orders folded) and its value counts.
function ordinalLayout(V: number): Layout {
  const O = 2 + V;
  const cum = new Float64Array(V + 1);
  const deltaOf = (s: Float64Array, c: number, k: number) => (cum[k + 1]! - cum[c]! - (s[2 + c]! + s[2 + k]!) / 2) ** 2;
  return {
    dims: O + V * V,
    scale: 1,
    contribution(p) {
      const entries: [number, number][] = [[1, p.size], ...p.counts.map(([c, nc]): [number, number] => [2 + c, nc])];
      for (const [c, nc] of p.counts) for (const [k, nk] of p.counts) if (c < k) entries.push([O + c * V + k, (2 * nc * nk) / (p.size - 1)]);
      return entries;
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      for (let g = 0; g < V; g++) cum[g + 1] = cum[g]! + s[2 + g]!;
      let observed = 0;
      let expected = 0;
      for (let c = 0; c < V; c++) {
        for (let k = c + 1; k < V; k++) {
          const o = s[O + c * V + k]!;
          const nn = s[2 + c]! * s[2 + k]!;
          if (o === 0 && nn === 0) continue;
          const delta = deltaOf(s, c, k);
          observed += o * delta;
          expected += 2 * nn * delta;
        }
      }
      return { n, observed, expected };
    },
  };
}

function layoutFor(level: Level, categories: readonly Value[]): Layout {
  if (level === 'nominal') return nominalOrRatioLayout(categories.map((_, i) => i), (c, k) => (c === k ? 0 : 1));
  const v = categories as readonly number[];
  if (level === 'ordinal') return ordinalLayout(v.length);
  if (level === 'interval') return intervalLayout(v);
  const negative = v.find((a) => a < 0);
  if (negative !== undefined) throw new AgreementInputError(`Krippendorff's alpha (ratio) needs values ≥ 0; found ${negative}`);
  return nominalOrRatioLayout(v, (c, k) => (v[c]! + v[k]! === 0 ? 0 : ((v[c]! - v[k]!) / (v[c]! + v[k]!)) ** 2));
}

// Expected disagreement this small relative to n²·scale means every value is the same.
const EPS = 1e-12;

function alphaOf(t: { n: number; observed: number; expected: number } | null, scale: number): number | null {
  if (!t || t.expected <= EPS * t.n * t.n * scale) return null;
  return 1 - ((t.n - 1) * t.observed) / t.expected;
}

export function krippendorffAlpha(units: UnitValues, opts: AlphaOptions = {}): AlphaResult {
  const level = opts.level ?? 'nominal';
  const coded = codeUnits(units, { categories: opts.categories, ordered: level !== 'nominal', numeric: level === 'interval' || level === 'ratio', metric: `Krippendorff's alpha (${level})` });
  const layout = layoutFor(level, coded.categories);
  const c = new Contributions(layout.dims);
  let pairableUnits = 0;
  for (const p of patternsOf(coded)) {
    if (p.size < 2) continue;
    pairableUnits += p.units;
    c.add(p.units, layout.contribution(p));
  }
  const t = layout.totals(c.sum());
  const counts = {
    level,
    units: units.length,
    pairableUnits,
    pairableValues: t?.n ?? 0,
    observedDisagreement: t ? t.observed / t.n : null,
    expectedDisagreement: t && t.n > 1 ? t.expected / (t.n * (t.n - 1)) : null,
  };
  if (!t) return { ...undefinedFigure('no_pairable_values'), ...counts };
  const value = alphaOf(t, layout.scale);
  if (value === null) return { ...undefinedFigure('one_category_only'), ...counts };
  const ci = c.bootstrap((s) => alphaOf(layout.totals(s), layout.scale), resolveBootstrap(opts.bootstrap));
  return { defined: true, value, ci, ...counts };
}
