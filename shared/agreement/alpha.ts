/**
 * Krippendorff's alpha by its coincidence-matrix formulation (Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability", 2011), for any number of coders and missing values:
 *
 *   α = 1 − D_o / D_e = 1 − (n − 1) · Σ_u d_u / Σ_ck n_c n_k δ²_ck
 *   d_u = Σ_ck n_uc n_uk δ²_ck / (m_u − 1)     (units with m_u ≥ 2 values: the pairable ones)
 *
 * n_uc counts value c in unit u, n_c = Σ_u n_uc over pairable units, n = Σ_c n_c. The metric δ²:
 *   nominal  [c ≠ k]
 *   ordinal  (Σ_{g=c..k} n_g − (n_c + n_k)/2)²   (the squared difference of mid-ranks: depends on the marginals)
 *   interval (c − k)²
 *   ratio    ((c − k) / (c + k))²
 *
 * Everything is a sum over units of a unit's contribution (its d_u, m_u and value counts, and
 * for ordinal its coincidences), so the bootstrap resamples units through those sums.
 */
import { Contributions, resolveBootstrap } from './bootstrap.ts';
import { codedPatterns, type Pattern } from './data.ts';
import type { UnitsInput } from './columns.ts';
import type { BootstrapOptions, Figure, Value } from './types.ts';
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
  /** Row width to start with (ordinal rows grow as pairs of values are met). */
  readonly dims: number;
  /** Size of the largest δ², so that "no expected disagreement" is judged relative to it. */
  readonly scale: number;
  /** A pattern's contribution entries. */
  contribution(p: Pattern): [number, number][];
  /** n, the observed Σ_u d_u and the expected Σ_ck n_c n_k δ² from summed contributions; null when n = 0. */
  totals(sums: Float64Array): { n: number; observed: number; expected: number } | null;
}

// Shared slots: [0] Σ d_u (unused by ordinal), [1] n; then level-specific ones.

// Nominal: Σ_ck n_c n_k [c ≠ k] = n² − Σ n_c², and a unit's Σ_ck n_uc n_uk [c ≠ k] = m² − Σ n_uc².
function nominalLayout(V: number): Layout {
  return {
    dims: 2 + V,
    scale: 1,
    contribution(p) {
      let same = 0;
      for (const [, nc] of p.counts) same += nc * nc;
      return [[0, (p.size * p.size - same) / (p.size - 1)], [1, p.size], ...p.counts.map(([c, nc]): [number, number] => [2 + c, nc])];
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      let same = 0;
      for (let c = 0; c < V; c++) same += s[2 + c]! * s[2 + c]!;
      return { n, observed: s[0]!, expected: n * n - same };
    },
  };
}

// Ratio: no shortcut for Σ_ck n_c n_k δ²_ck, so it runs over the pairs of values that occur.
function ratioLayout(v: readonly number[]): Layout {
  const delta = (c: number, k: number) => (v[c]! + v[k]! === 0 ? 0 : ((v[c]! - v[k]!) / (v[c]! + v[k]!)) ** 2);
  const V = v.length;
  const present: number[] = [];
  return {
    dims: 2 + V,
    scale: 1,
    contribution(p) {
      let within = 0;
      for (const [c, nc] of p.counts) for (const [k, nk] of p.counts) within += nc * nk * delta(c, k);
      return [[0, within / (p.size - 1)], [1, p.size], ...p.counts.map(([c, nc]): [number, number] => [2 + c, nc])];
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      present.length = 0;
      for (let c = 0; c < V; c++) if (s[2 + c]! > 0) present.push(c);
      let expected = 0;
      for (const c of present) for (const k of present) expected += s[2 + c]! * s[2 + k]! * delta(c, k);
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

// Ordinal: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² is (a_k − a_c)², a_c = Σ_{g<c} n_g + n_c/2
// being value c's mid-rank among the pairable values. The mid-ranks depend on the marginals,
// which change from replicate to replicate, so a unit contributes its value counts and its
// coincidences o_ck (for the pairs c < k that occur together somewhere, both orders folded).
// Expected disagreement is then 2 n Σ n_c a_c² − 2 (Σ n_c a_c)², observed Σ o_ck (a_k − a_c)².
function ordinalLayout(V: number): Layout {
  const pairIndex = new Map<number, number>();
  const pairC: number[] = [];
  const pairK: number[] = [];
  const a = new Float64Array(V);
  const O = 2 + V;
  return {
    dims: O,
    scale: 1,
    contribution(p) {
      const entries: [number, number][] = [[1, p.size], ...p.counts.map(([c, nc]): [number, number] => [2 + c, nc])];
      for (const [c, nc] of p.counts) {
        for (const [k, nk] of p.counts) {
          if (c >= k) continue;
          let id = pairIndex.get(c * V + k);
          if (id === undefined) {
            pairIndex.set(c * V + k, (id = pairC.length));
            pairC.push(c);
            pairK.push(k);
          }
          entries.push([O + id, (2 * nc * nk) / (p.size - 1)]);
        }
      }
      return entries;
    },
    totals(s) {
      const n = s[1]!;
      if (n === 0) return null;
      let below = 0;
      let s1 = 0;
      let s2 = 0;
      for (let c = 0; c < V; c++) {
        const nc = s[2 + c]!;
        a[c] = below + nc / 2;
        below += nc;
        s1 += nc * a[c]!;
        s2 += nc * a[c]! * a[c]!;
      }
      let observed = 0;
      for (let id = 0; id < pairC.length; id++) {
        const o = s[O + id]!;
        if (o !== 0) observed += o * (a[pairK[id]!]! - a[pairC[id]!]!) ** 2;
      }
      return { n, observed, expected: Math.max(0, 2 * n * s2 - 2 * s1 * s1) };
    },
  };
}

function layoutFor(level: Level, categories: readonly Value[]): Layout {
  if (level === 'nominal') return nominalLayout(categories.length);
  const v = categories as readonly number[];
  if (level === 'ordinal') return ordinalLayout(v.length);
  if (level === 'interval') return intervalLayout(v);
  const negative = v.find((x) => x < 0);
  if (negative !== undefined) throw new AgreementInputError(`Krippendorff's alpha (ratio) needs values ≥ 0; found ${negative}`);
  return ratioLayout(v);
}

// Expected disagreement this small relative to n²·scale means every value is the same.
const EPS = 1e-12;

function alphaOf(t: { n: number; observed: number; expected: number } | null, scale: number): number | null {
  if (!t || t.expected <= EPS * t.n * t.n * scale) return null;
  return 1 - ((t.n - 1) * t.observed) / t.expected;
}

export function krippendorffAlpha(units: UnitsInput, opts: AlphaOptions = {}): AlphaResult {
  const level = opts.level ?? 'nominal';
  const { categories, patterns } = codedPatterns(units, { categories: opts.categories, ordered: level !== 'nominal', numeric: level === 'interval' || level === 'ratio', metric: `Krippendorff's alpha (${level})` });
  const layout = layoutFor(level, categories);
  const c = new Contributions(layout.dims);
  let pairableUnits = 0;
  for (const p of patterns) {
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
