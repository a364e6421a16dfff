/**
 * The bootstrap's machinery: the PRNG and exact binomial sampler, the pattern-based resampling
 * (checked against redrawing units one by one), determinism, and the explicit "undefined"
 * answers on degenerate data.
 */
import { describe, expect, it } from 'vitest';
import {
  AgreementInputError,
  cohenKappa,
  fleissKappa,
  gwetAC1,
  kendallTauB,
  krippendorffAlpha,
  meanKendallTauB,
  percentAgreement,
  Random,
  type Level,
  type Value,
} from '../../../shared/agreement/index.ts';
import { groupedRows, quantile } from '../../../shared/agreement/bootstrap.ts';
import { binomial, resampleGroups } from '../../../shared/agreement/random.ts';
import { binomialPmf, erfc } from '../../../shared/agreement/special.ts';

/** Pearson's chi-square of `draws` against `pmf`, pooling cells expected below 5. */
function chiSquare(draws: number[], pmf: Float64Array): { statistic: number; df: number } {
  const observed = new Float64Array(pmf.length);
  for (const d of draws) observed[d]!++;
  let statistic = 0;
  let df = -1;
  let e = 0;
  let o = 0;
  for (let k = 0; k < pmf.length; k++) {
    e += pmf[k]! * draws.length;
    o += observed[k]!;
    if (e >= 5 || k === pmf.length - 1) {
      statistic += (o - e) ** 2 / Math.max(e, 1e-9);
      df++;
      e = 0;
      o = 0;
    }
  }
  return { statistic, df };
}

describe('random numbers', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('draws exact binomials in both regimes (inversion and BTRS): chi-square against the pmf', () => {
    const rng = new Random(7);
    for (const [n, p] of [[20, 0.3], [1000, 0.3], [50, 0.9], [200, 0.05], [100000, 0.5], [3, 0.5]] as const) {
      const draws = Array.from({ length: 20000 }, () => binomial(rng, n, p));
      const { statistic, df } = chiSquare(draws, binomialPmf(n, p));
      // Far above the 99.99th percentile of chi-square(df) would mean a wrong sampler.
      expect(statistic, `n=${n} p=${p}`).toBeLessThan(df + 6 * Math.sqrt(2 * df) + 10);
      const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / draws.length) + 1e-9);
    }
  });

  it('redraws groups as a multinomial: totals kept, shares as expected', () => {
    const rng = new Random(3);
    const counts = [5000, 3000, 1500, 500];
    const out = new Float64Array(4);
    const sums = new Float64Array(4);
    for (let r = 0; r < 500; r++) {
      resampleGroups(rng, counts, 10000, out);
      expect(out.reduce((s, v) => s + v, 0)).toBe(10000);
      out.forEach((v, i) => (sums[i]! += v));
    }
    counts.forEach((c, i) => expect(sums[i]! / 500).toBeCloseTo(c, -1));
  });
});

describe('special functions', () => {
  it('erfc matches tabulated values', () => {
    // Abramowitz & Stegun table 7.1 / any standard table of erfc.
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 15);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 15);
    expect(erfc(2) / 0.004677734981047266).toBeCloseTo(1, 12);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 11);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
  });

  it('binomial probabilities sum to one and match the closed form', () => {
    const pmf = binomialPmf(10, 0.3);
    expect(pmf.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(pmf[3]).toBeCloseTo(120 * 0.3 ** 3 * 0.7 ** 7, 14);
    expect(binomialPmf(100000, 0.5).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
  });
});

describe('bootstrap over units', () => {
  // 300 units, three coders, five categories with planted disagreement.
  const rng = new Random(11);
  const units: number[][] = Array.from({ length: 300 }, () => {
    const t = rng.below(5);
    return [t, rng.uniform() < 0.8 ? t : rng.below(5), rng.uniform() < 0.7 ? t : rng.below(5)];
  });

  /** The interval from redrawing units one by one and recomputing: what the fast paths must match. */
  function directInterval(data: Value[][], level: Level, replicates: number): { lower: number; upper: number } {
    const direct = new Random(99);
    const values: number[] = [];
    for (let r = 0; r < replicates; r++) {
      const sample = Array.from({ length: data.length }, () => data[direct.below(data.length)]!);
      const a = krippendorffAlpha(sample, { level, bootstrap: false });
      if (a.defined) values.push(a.value);
    }
    values.sort((x, y) => x - y);
    return { lower: quantile(values, 0.025), upper: quantile(values, 0.975) };
  }

  // Three resampling paths, each against the direct bootstrap: few patterns (a multinomial
  // draw), many patterns with short rows (dense rows per drawn unit), many patterns with long
  // rows (ordinal on near-continuous scores: counted draws).
  const likert3000: Value[][] = Array.from({ length: 3000 }, () => {
    const t = rng.below(5);
    return [t, rng.uniform() < 0.8 ? t : rng.below(5), rng.uniform() < 0.7 ? t : rng.below(5)];
  });
  const continuous: Value[][] = Array.from({ length: 400 }, () => {
    const t = rng.uniform() * 10;
    return [t, t + rng.uniform() * 3, t + rng.uniform() * 6];
  });
  const manyRanks: Value[][] = Array.from({ length: 400 }, () => {
    const t = rng.below(200);
    return [t, t + rng.below(30), t + rng.below(60)];
  });
  it.each([
    ['few patterns (multinomial)', likert3000, 'nominal', 0.01],
    ['continuous interval scores (dense rows)', continuous, 'interval', 0.02],
    ['ordinal with many values (counted draws)', manyRanks, 'ordinal', 0.02],
  ] as const)('resampling gives the same interval as redrawing units one by one: %s', (_name, data, level, tolerance) => {
    const fast = krippendorffAlpha(data, { level, bootstrap: { replicates: 1000, seed: 5 } });
    const direct = directInterval(data as Value[][], level, 1000);
    if (!fast.defined || !fast.ci) throw new Error('expected an interval');
    expect(Math.abs(fast.ci.lower - direct.lower)).toBeLessThan(tolerance);
    expect(Math.abs(fast.ci.upper - direct.upper)).toBeLessThan(tolerance);
    expect(fast.ci.lower).toBeLessThan(fast.value);
    expect(fast.ci.upper).toBeGreaterThan(fast.value);
  });

  it('is deterministic for a seed, changes with the seed, and reports what it did', () => {
    const a = gwetAC1(units, { bootstrap: { replicates: 200, seed: 8 } });
    const b = gwetAC1(units, { bootstrap: { replicates: 200, seed: 8 } });
    const c = gwetAC1(units, { bootstrap: { replicates: 200, seed: 9 } });
    expect(a).toEqual(b);
    expect(a.defined && c.defined && a.ci!.lower !== c.ci!.lower).toBe(true);
    expect(a.defined && a.ci).toMatchObject({ level: 0.95, replicates: 200, definedReplicates: 200, seed: 8 });
    expect(gwetAC1(units, { bootstrap: { replicates: 200, level: 0.5 } })).toMatchObject({ ci: { level: 0.5 } });
  });

  it('leaves the interval out when asked, and refuses nonsense options', () => {
    expect(fleissKappa(units, { bootstrap: false })).toMatchObject({ defined: true, ci: null });
    expect(fleissKappa(units, { bootstrap: { replicates: 0 } })).toMatchObject({ ci: null });
    expect(() => fleissKappa(units, { bootstrap: { replicates: -1 } })).toThrow(AgreementInputError);
    expect(() => fleissKappa(units, { bootstrap: { seed: 1.5 } })).toThrow(/seed/);
    expect(() => fleissKappa(units, { bootstrap: { level: 1 } })).toThrow(/level/);
  });

  it('groups equal rows of several numbers, in the order first met, counting 0 and −0 as one value', () => {
    // Rows of two: (0.5, 1) three times, (1, 0) and (1, −0) as one row twice, (0.25, 0.5) once.
    const rows = [0.5, 1, 1, 0, 0.5, 1, 0.25, 0.5, 1, -0, 0.5, 1];
    const c = groupedRows(2, rows);
    expect(c.patterns).toBe(3);
    expect(c.units()).toBe(6);
    expect(Array.from(c.sum())).toEqual([3 * 0.5 + 2 * 1 + 0.25, 3 * 1 + 0.5, 6]);
    // The patterns' order decides the bootstrap's draws: first met, first.
    expect(Array.from(c.sum([1, 0, 0]))).toEqual([0.5, 1, 1]);
    expect(Array.from(c.sum([0, 1, 0]))).toEqual([1, 0, 1]);
    expect(Array.from(c.sum([0, 0, 1]))).toEqual([0.25, 0.5, 1]);
    expect(groupedRows(1, [2, 2, 3]).patterns).toBe(2);
  });

  it('drops replicates where the figure is undefined and says how many were used', () => {
    // Nearly all units agree on "good": many replicates see no other value, so alpha is
    // undefined there.
    const skewed: Value[][] = [...Array.from({ length: 40 }, () => ['good', 'good']), ['good', 'bad'], ['bad', 'bad']];
    const r = krippendorffAlpha(skewed, { bootstrap: { replicates: 500, seed: 2 } });
    expect(r.defined).toBe(true);
    if (r.defined && r.ci) {
      expect(r.ci.definedReplicates).toBeLessThan(500);
      expect(r.ci.definedReplicates).toBeGreaterThan(0);
    }
  });

  it('bootstraps tau-b over items, and mean tau-b over units', () => {
    const x = Array.from({ length: 60 }, (_, i) => i);
    const y = x.map((i) => i + (i % 7) * 3);
    const t = kendallTauB(x, y, { bootstrap: { replicates: 300, seed: 4 } });
    expect(t.defined && t.ci && t.ci.lower <= t.value && t.value <= t.ci.upper).toBe(true);
    const m = meanKendallTauB([{ x: [1, 2, 3], y: [1, 2, 3] }, { x: [1, 2, 3], y: [3, 2, 1] }, { x: [1, 1], y: [1, 2] }], { bootstrap: { replicates: 100 } });
    expect(m).toMatchObject({ defined: true, value: 0, units: 2, excludedUnits: 1 });
  });
});

describe('degenerate data: an explicit reason, never NaN', () => {
  const everyFigure = (units: Value[][]) => [krippendorffAlpha(units), fleissKappa(units), gwetAC1(units), cohenKappa(units.map((u) => [u[0], u[1]]))];

  it('one category only: total agreement that chance explains; percent agreement is 1', () => {
    const units = [['good', 'good', 'good'], ['good', 'good'], ['good', 'good']];
    for (const r of everyFigure(units)) expect(r).toMatchObject({ defined: false, reason: 'one_category_only' });
    expect(krippendorffAlpha([[3, 3], [3, 3]], { level: 'interval' })).toMatchObject({ defined: false, reason: 'one_category_only' });
    expect(percentAgreement(units)).toMatchObject({ defined: true, value: 1 });
  });

  it('fewer than two coders per unit: nothing to pair', () => {
    const units = [['a'], ['b'], []];
    for (const r of [krippendorffAlpha(units), fleissKappa(units), gwetAC1(units), percentAgreement(units)]) {
      expect(r).toMatchObject({ defined: false, reason: 'no_pairable_values' });
      expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    }
    expect(cohenKappa([['a', null], [null, 'b']])).toMatchObject({ defined: false, reason: 'no_pairable_values', pairs: 0 });
    expect(krippendorffAlpha([])).toMatchObject({ defined: false, reason: 'no_pairable_values', units: 0 });
  });

  it('tau-b: too few items, or one ranking tying everything', () => {
    expect(kendallTauB([1], [2])).toMatchObject({ defined: false, reason: 'too_few_items' });
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toMatchObject({ defined: false, reason: 'ranking_all_tied', pValue: null });
    expect(kendallTauB([1, null, 3], [2, 5, null])).toMatchObject({ defined: false, reason: 'too_few_items', n: 1 });
  });

  it('says what is wrong with bad input', () => {
    expect(() => krippendorffAlpha([['low', 'high']], { level: 'ordinal' })).toThrow(/needs numbers.*"low"/);
    expect(() => krippendorffAlpha([[-1, 2]], { level: 'ratio' })).toThrow(/ratio.*≥ 0.*-1/);
    expect(() => krippendorffAlpha([[1, NaN]])).toThrow(/unit 1: NaN is not a value/);
    expect(() => fleissKappa([['a', 'z']], { categories: ['a', 'b'] })).toThrow(/"z" is not one of the categories/);
    expect(() => cohenKappa([['a', 'b']], { weights: 'linear' })).toThrow(/needs numbers/);
    expect(() => kendallTauB([1, 2], [1])).toThrow(/different lengths/);
  });

  it('takes the order of text categories from an explicit list', () => {
    const units = [['low', 'mid'], ['mid', 'mid'], ['high', 'high'], ['low', 'low']];
    const byList = krippendorffAlpha(units, { level: 'ordinal', categories: ['low', 'mid', 'high'], bootstrap: false });
    const byNumber = krippendorffAlpha([[1, 2], [2, 2], [3, 3], [1, 1]], { level: 'ordinal', bootstrap: false });
    expect(byList.defined && byNumber.defined && byList.value).toBeCloseTo(byNumber.defined ? byNumber.value : NaN, 12);
  });
});
