/**
 * Properties every agreement figure must have, on random data (fast-check): invariance under
 * relabelling categories and permuting coders, 1 on perfect agreement, bounds, agreement with
 * brute-force definitions, and a bootstrap that depends only on its seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  fleissKappa,
  gwetAC1,
  kendallTauB,
  krippendorffAlpha,
  percentAgreement,
  unitsFromMatrix,
  type Cell,
  type Figure,
  type Level,
  type Value,
} from '../../../shared/agreement/index.ts';

const noCi = { bootstrap: false } as const;

/** A coder × unit matrix of category indices 0..k−1, with missing cells. */
const matrixArb = (maxCoders = 5, maxUnits = 25, maxK = 5) =>
  fc
    .record({ coders: fc.integer({ min: 2, max: maxCoders }), units: fc.integer({ min: 1, max: maxUnits }), k: fc.integer({ min: 1, max: maxK }) })
    .chain(({ coders, units, k }) =>
      fc.array(fc.array(fc.option(fc.integer({ min: 0, max: k - 1 }), { nil: null, freq: 4 }), { minLength: units, maxLength: units }), { minLength: coders, maxLength: coders }),
    );

function same(a: Figure, b: Figure): void {
  expect(a.defined).toBe(b.defined);
  if (a.defined && b.defined) expect(a.value).toBeCloseTo(b.value, 10);
  if (!a.defined && !b.defined) expect(a.reason).toBe(b.reason);
}

/** Krippendorff's definition, pair by pair, with no shortcuts: the check on the fast version. */
function bruteAlpha(matrix: readonly (readonly Cell[])[], level: Level): number | null {
  const units = unitsFromMatrix(matrix).filter((u) => u.length >= 2) as number[][];
  const all = units.flat();
  const n = all.length;
  if (n === 0) return null;
  const values = [...new Set(all)].sort((a, b) => a - b);
  const count = new Map(values.map((v) => [v, all.filter((x) => x === v).length]));
  const delta = (c: number, k: number): number => {
    if (level === 'nominal') return c === k ? 0 : 1;
    if (level === 'interval') return (c - k) ** 2;
    if (level === 'ratio') return c + k === 0 ? 0 : ((c - k) / (c + k)) ** 2;
    const [lo, hi] = c < k ? [c, k] : [k, c];
    const between = values.filter((g) => g >= lo && g <= hi).reduce((s, g) => s + count.get(g)!, 0);
    return (between - (count.get(c)! + count.get(k)!) / 2) ** 2;
  };
  let observed = 0;
  for (const u of units) for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) observed += delta(u[i]!, u[j]!) / (u.length - 1);
  let expected = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) expected += delta(all[i]!, all[j]!);
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

describe('agreement properties', () => {
  it("Krippendorff's alpha equals its pair-by-pair definition at every level", () => {
    fc.assert(
      fc.property(matrixArb(), fc.constantFrom<Level>('nominal', 'ordinal', 'interval', 'ratio'), (m, level) => {
        const r = krippendorffAlpha(unitsFromMatrix(m), { level, ...noCi });
        const brute = bruteAlpha(m, level);
        if (brute === null) expect(r.defined).toBe(false);
        else expect(r.defined && r.value).toBeCloseTo(brute, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('nominal figures do not change when categories are relabelled or coders reordered', () => {
    fc.assert(
      fc.property(matrixArb(), fc.integer(), (m, seed) => {
        const k = 5;
        const perm = fc.sample(fc.shuffledSubarray([...Array(k).keys()], { minLength: k, maxLength: k }), { numRuns: 1, seed })[0]!;
        const relabelled = m.map((row) => row.map((v) => (v === null ? null : `label ${perm[v as number]}`)));
        const rows = fc.sample(fc.shuffledSubarray([...m.keys()], { minLength: m.length, maxLength: m.length }), { numRuns: 1, seed: seed + 1 })[0]!;
        const reordered = rows.map((r) => m[r]!);
        const a = unitsFromMatrix(m);
        for (const other of [unitsFromMatrix(relabelled), unitsFromMatrix(reordered)]) {
          same(krippendorffAlpha(a, noCi), krippendorffAlpha(other, noCi));
          same(fleissKappa(a, noCi), fleissKappa(other, noCi));
          same(gwetAC1(a, noCi), gwetAC1(other, noCi));
          same(percentAgreement(a, noCi), percentAgreement(other, noCi));
        }
        const pairs = (x: readonly (readonly Cell[])[], i: number, j: number) => x[i]!.map((v, u): [Cell, Cell] => [v, x[j]![u]]);
        same(cohenKappa(pairs(m, 0, 1), noCi), cohenKappa(pairs(relabelled, 0, 1), noCi));
        same(cohenKappa(pairs(m, 0, 1), noCi), cohenKappa(pairs(m, 1, 0), noCi));
      }),
      { numRuns: 200 },
    );
  });

  it('ordinal alpha keeps its value under a monotone relabelling, interval alpha under an affine one', () => {
    fc.assert(
      fc.property(matrixArb(), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (m, scale, shift) => {
        const a = unitsFromMatrix(m);
        const monotone = unitsFromMatrix(m.map((row) => row.map((v) => (v === null ? null : (v as number) ** 3 + 7))));
        same(krippendorffAlpha(a, { level: 'ordinal', ...noCi }), krippendorffAlpha(monotone, { level: 'ordinal', ...noCi }));
        const affine = unitsFromMatrix(m.map((row) => row.map((v) => (v === null ? null : -scale * (v as number) + shift))));
        same(krippendorffAlpha(a, { level: 'interval', ...noCi }), krippendorffAlpha(affine, { level: 'interval', ...noCi }));
      }),
      { numRuns: 200 },
    );
  });

  it('every figure is 1 on perfect agreement (where two or more categories make it defined)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 40 }), fc.integer({ min: 2, max: 5 }), (truth, coders) => {
        fc.pre(new Set(truth).size >= 2);
        const units: Value[][] = truth.map((t) => Array.from({ length: coders }, () => t));
        for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) expect(krippendorffAlpha(units, { level, ...noCi })).toMatchObject({ defined: true, value: 1 });
        expect(fleissKappa(units, noCi)).toMatchObject({ defined: true, value: 1 });
        expect(gwetAC1(units, noCi)).toMatchObject({ defined: true, value: 1 });
        expect(percentAgreement(units, noCi)).toMatchObject({ defined: true, value: 1 });
        const pairs = truth.map((t): [Value, Value] => [t, t]);
        for (const weights of [undefined, 'linear', 'quadratic'] as const) expect(cohenKappa(pairs, { weights, ...noCi })).toMatchObject({ defined: true, value: 1 });
      }),
    );
  });

  it('stays within bounds: alpha, kappa and AC1 ≤ 1, percent in [0, 1], intervals ordered', () => {
    fc.assert(
      fc.property(matrixArb(4, 15, 4), (m) => {
        const units = unitsFromMatrix(m);
        const ci = { bootstrap: { replicates: 50, seed: 3 } };
        for (const r of [krippendorffAlpha(units, ci), krippendorffAlpha(units, { level: 'interval', ...ci }), fleissKappa(units, ci), gwetAC1(units, ci)]) {
          if (!r.defined) continue;
          expect(r.value).toBeLessThanOrEqual(1 + 1e-12);
          if (r.ci) expect(r.ci.lower).toBeLessThanOrEqual(r.ci.upper);
        }
        const p = percentAgreement(units, ci);
        if (p.defined) {
          expect(p.value).toBeGreaterThanOrEqual(0);
          expect(p.value).toBeLessThanOrEqual(1);
          expect(p.ci!.lower).toBeGreaterThanOrEqual(0);
          expect(p.ci!.upper).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("Kendall's tau-b matches a pair-by-pair count and lies in [−1, 1]", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 60 }), (xy) => {
        let c = 0;
        let d = 0;
        let tx = 0;
        let ty = 0;
        for (let i = 0; i < xy.length; i++) {
          for (let j = i + 1; j < xy.length; j++) {
            const s = Math.sign(xy[i]![0] - xy[j]![0]) * Math.sign(xy[i]![1] - xy[j]![1]);
            if (s > 0) c++;
            else if (s < 0) d++;
            if (xy[i]![0] === xy[j]![0]) tx++;
            if (xy[i]![1] === xy[j]![1]) ty++;
          }
        }
        const total = (xy.length * (xy.length - 1)) / 2;
        const r = kendallTauB(xy.map((p) => p[0]), xy.map((p) => p[1]), noCi);
        if (tx === total || ty === total) expect(r).toMatchObject({ defined: false, reason: 'ranking_all_tied' });
        else {
          expect(r).toMatchObject({ concordant: c, discordant: d });
          const tau = (c - d) / Math.sqrt((total - tx) * (total - ty));
          expect(r.defined && r.value).toBeCloseTo(tau, 12);
          expect(Math.abs(tau)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same interval for the same seed, whatever the data', () => {
    fc.assert(
      fc.property(matrixArb(4, 20, 4), fc.integer({ min: 0, max: 0xffffffff }), (m, seed) => {
        const units = unitsFromMatrix(m);
        const opts = { bootstrap: { replicates: 40, seed } };
        expect(krippendorffAlpha(units, opts)).toEqual(krippendorffAlpha(units, opts));
        expect(gwetAC1(units, opts)).toEqual(gwetAC1(units, opts));
        const pairs = m[0]!.map((v, u): [Cell, Cell] => [v, m[1]![u]]);
        expect(cohenKappa(pairs, opts)).toEqual(cohenKappa(pairs, opts));
      }),
      { numRuns: 60 },
    );
  });
});
