/**
 * Every coefficient against values published by its author or by a reference implementation.
 * Each test names its source; where a value was computed here rather than found, it says so.
 */
import { describe, expect, it } from 'vitest';
import {
  binomialTest,
  cohenKappa,
  fleissKappa,
  gwetAC1,
  kendallTauB,
  krippendorffAlpha,
  percentAgreement,
  unitsFromMatrix,
  type Figure,
} from '../../../shared/agreement/index.ts';
import {
  ANXIETY_RATER2,
  ANXIETY_RATER3,
  FLEISS_1971,
  GWET_CONT3X3,
  GWET_DISTRIB_6RATERS,
  KRIPPENDORFF_2011,
  SAS_TABLE10,
  WIKIPEDIA_ALPHA,
  WIKIPEDIA_FLEISS_COUNTS,
  pairsFromTable,
  repeat,
  unitsFromCounts,
} from './reference-data.ts';

function value(f: Figure): number {
  if (!f.defined) throw new Error(`undefined: ${f.reason}`);
  return f.value;
}

const noCi = { bootstrap: false } as const;

describe("Krippendorff's alpha", () => {
  const units = unitsFromMatrix(KRIPPENDORFF_2011);

  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", sections C–F: the
  // 4-coder, 12-unit example gives α = .743 nominal, .815 ordinal, .849 interval, .797 ratio.
  // Confirmed: irrCAC README, krippen.alpha.raw(cac.raw4raters) = 0.74342, and its weighting
  // vignette with quadratic weights (= interval for 1..5) = 0.84911; fast-krippendorff
  // tests/test_krippendorff.py asserts ordinal round(α, 3) = 0.815 and ratio 0.797.
  it('reproduces the worked example at all four levels', () => {
    expect(value(krippendorffAlpha(units, { level: 'nominal', ...noCi }))).toBeCloseTo(0.74342, 5);
    expect(value(krippendorffAlpha(units, { level: 'ordinal', ...noCi }))).toBeCloseTo(0.815, 3);
    expect(value(krippendorffAlpha(units, { level: 'interval', ...noCi }))).toBeCloseTo(0.84911, 5);
    expect(value(krippendorffAlpha(units, { level: 'ratio', ...noCi }))).toBeCloseTo(0.797, 3);
  });

  it('counts the pairable units and values as the paper does (unit 12 has one value: 11 units, 40 values)', () => {
    const r = krippendorffAlpha(units, noCi);
    expect(r).toMatchObject({ units: 12, pairableUnits: 11, pairableValues: 40 });
  });

  // Wikipedia, "Krippendorff's alpha", computational example (3 coders, 15 units):
  // fast-krippendorff's tests assert nominal 0.691358 and interval 0.810845 on it.
  it("reproduces Wikipedia's computational example", () => {
    const w = unitsFromMatrix(WIKIPEDIA_ALPHA);
    expect(value(krippendorffAlpha(w, noCi))).toBeCloseTo(0.691358, 6);
    expect(value(krippendorffAlpha(w, { level: 'interval', ...noCi }))).toBeCloseTo(0.810845, 6);
  });

  // irrCAC README: krippen2.table(cont3x3abstractors) = 0.7972585 (two coders, no missing);
  // weighting vignette with quadratic weights = 0.8926487; krippen.alpha.dist(distrib.6raters)
  // = 0.4204384, and 0.259511 with quadratic weights.
  it("matches Gwet's irrCAC on a two-coder table and a six-rater distribution", () => {
    const two = pairsFromTable(GWET_CONT3X3).map(([a, b]) => [a, b]);
    expect(value(krippendorffAlpha(two, noCi))).toBeCloseTo(0.7972585, 7);
    expect(value(krippendorffAlpha(two, { level: 'interval', ...noCi }))).toBeCloseTo(0.8926487, 7);
    const six = unitsFromCounts(GWET_DISTRIB_6RATERS);
    expect(value(krippendorffAlpha(six, noCi))).toBeCloseTo(0.4204384, 7);
    expect(value(krippendorffAlpha(six, { level: 'interval', ...noCi }))).toBeCloseTo(0.259511, 6);
  });
});

describe("Fleiss' kappa", () => {
  // Fleiss (1971) Table 1: 30 patients × 6 psychiatrists. R's irr::kappam.fleiss(diagnoses)
  // = 0.4302445 (quoted in statsmodels' test_inter_rater.py, test_fleiss_kappa_irr); κ = .430.
  it('reproduces Fleiss (1971): κ = 0.430', () => {
    expect(value(fleissKappa(FLEISS_1971, noCi))).toBeCloseTo(0.4302445, 7);
  });

  // Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories):
  // P̄ = 0.378, P̄e = 0.213, κ = 0.210 (statsmodels' test_fleiss_kappa checks the same 0.210).
  // The brief quoted 0.430 for this table; that figure belongs to the Fleiss (1971) data above.
  it("reproduces Wikipedia's worked example: κ = 0.210", () => {
    const r = fleissKappa(unitsFromCounts(WIKIPEDIA_FLEISS_COUNTS), noCi);
    expect(value(r)).toBeCloseTo(0.21, 3);
    expect(r.observedAgreement).toBeCloseTo(0.378, 3);
    expect(r.chanceAgreement).toBeCloseTo(0.213, 3);
  });

  // irrCAC README: fleiss.kappa.raw(cac.raw4raters) = 0.76117 with pa 0.8181818, pe 0.2387153
  // (Gwet's form for missing ratings); weighting vignette, quadratic: 0.86494, pe 0.8177083;
  // fleiss.kappa.dist(distrib.6raters) = 0.4139265, quadratic 0.2511909.
  it("matches irrCAC with missing ratings and with weights", () => {
    const units = unitsFromMatrix(KRIPPENDORFF_2011);
    const r = fleissKappa(units, noCi);
    expect(value(r)).toBeCloseTo(0.76117, 5);
    expect(r.observedAgreement).toBeCloseTo(0.8181818, 7);
    expect(r.chanceAgreement).toBeCloseTo(0.2387153, 7);
    const q = fleissKappa(units, { weights: 'quadratic', ...noCi });
    expect(value(q)).toBeCloseTo(0.86494, 5);
    expect(q.chanceAgreement).toBeCloseTo(0.8177083, 7);
    const six = unitsFromCounts(GWET_DISTRIB_6RATERS);
    expect(value(fleissKappa(six, noCi))).toBeCloseTo(0.4139265, 7);
    expect(value(fleissKappa(six, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.2511909, 7);
  });
});

describe("Cohen's kappa", () => {
  // irrCAC README: kappa2.table(cont3x3abstractors) = 0.7964094; weighting vignette with
  // quadratic weights = 0.8921569.
  it("matches irrCAC's abstractors table, unweighted and quadratic", () => {
    const pairs = pairsFromTable(GWET_CONT3X3);
    expect(value(cohenKappa(pairs, noCi))).toBeCloseTo(0.7964094, 7);
    expect(value(cohenKappa(pairs, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.8921569, 7);
  });

  // SAS PROC FREQ output quoted in statsmodels' test_inter_rater.py (TestUnweightedCohens,
  // TestWeightedCohens): simple kappa 0.4842, weighted (Cicchetti–Allison = linear) 0.4701.
  it('matches the SAS simple and weighted kappa example', () => {
    const pairs = pairsFromTable(SAS_TABLE10);
    expect(value(cohenKappa(pairs, noCi))).toBeCloseTo(0.4842, 4);
    expect(value(cohenKappa(pairs, { weights: 'linear', ...noCi }))).toBeCloseTo(0.4701, 4);
  });

  // R's irr::kappa2(anxiety[, 2:3]) = -0.006289308, "equal" (linear) 0.1459075, "squared"
  // (quadratic) 0.2520325, quoted in statsmodels' test_cohens_kappa_irr. The categories
  // (1, 2, 3, 4, 6) are weighted by position, as irr does.
  it("matches R's irr::kappa2 on the anxiety data, including a gap in the scale", () => {
    const pairs = ANXIETY_RATER2.map((a, i): [number, number] => [a, ANXIETY_RATER3[i]!]);
    expect(value(cohenKappa(pairs, noCi))).toBeCloseTo(-0.006289308, 9);
    expect(value(cohenKappa(pairs, { weights: 'linear', ...noCi }))).toBeCloseTo(0.1459075, 7);
    expect(value(cohenKappa(pairs, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.2520325, 7);
  });

  // scikit-learn, sklearn/metrics/tests/test_classification.py, test_cohen_kappa: a binary
  // example (0.348), Artstein & Poesio (2008) Table 4 (0.8013), and a weighting example
  // (0.9315 unweighted, 0.9412 linear, 0.9541 quadratic).
  it("matches scikit-learn's published examples", () => {
    const zip = (a: number[], b: number[]) => a.map((x, i): [number, number] => [x, b[i]!]);
    const bin = zip([...repeat(0, 40), ...repeat(1, 60)], [...repeat(0, 20), ...repeat(1, 20), ...repeat(0, 10), ...repeat(1, 50)]);
    expect(value(cohenKappa(bin, noCi))).toBeCloseTo(0.348, 3);
    const y1 = [...repeat(0, 46), ...repeat(1, 44), ...repeat(2, 10)];
    expect(value(cohenKappa(zip(y1, [...repeat(0, 52), ...repeat(1, 32), ...repeat(2, 16)]), noCi))).toBeCloseTo(0.8013, 4);
    const w = zip(y1, [...repeat(0, 50), ...repeat(1, 40), ...repeat(2, 10)]);
    expect(value(cohenKappa(w, noCi))).toBeCloseTo(0.9315, 4);
    expect(value(cohenKappa(w, { weights: 'linear', ...noCi }))).toBeCloseTo(0.9412, 4);
    expect(value(cohenKappa(w, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.9541, 4);
  });

  it('is symmetric in its two coders', () => {
    const pairs = pairsFromTable(SAS_TABLE10);
    const swapped = pairs.map(([a, b]): [number, number] => [b as number, a as number]);
    expect(value(cohenKappa(swapped, { weights: 'linear', ...noCi }))).toBeCloseTo(value(cohenKappa(pairs, { weights: 'linear', ...noCi })), 12);
  });
});

describe("Gwet's AC1 and percent agreement", () => {
  // irrCAC README: gwet.ac1.raw(cac.raw4raters) = 0.77544 (pa 0.8181818, pe 0.1903212);
  // pa.coeff.raw = 0.8181818. Weighting vignette, quadratic: AC2 = 0.914 (pe 0.7137044),
  // weighted percent agreement 0.9753788.
  it('matches irrCAC on the Krippendorff data with missing ratings', () => {
    const units = unitsFromMatrix(KRIPPENDORFF_2011);
    const ac1 = gwetAC1(units, noCi);
    expect(value(ac1)).toBeCloseTo(0.77544, 5);
    expect(ac1.chanceAgreement).toBeCloseTo(0.1903212, 7);
    expect(value(percentAgreement(units, noCi))).toBeCloseTo(0.8181818, 7);
    const ac2 = gwetAC1(units, { weights: 'quadratic', ...noCi });
    expect(value(ac2)).toBeCloseTo(0.914, 3);
    expect(ac2.chanceAgreement).toBeCloseTo(0.7137044, 7);
    expect(value(percentAgreement(units, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.9753788, 7);
  });

  // irrCAC README: gwet.ac1.table(cont3x3abstractors) = 0.8493305, pa2.table = 0.89; weighting
  // vignette, quadratic: AC2 0.9402369, percent 0.9725. gwet.ac1.dist(distrib.6raters) =
  // 0.4448007, quadratic 0.4837438.
  it('matches irrCAC on the two-coder table and the six-rater distribution', () => {
    const two = pairsFromTable(GWET_CONT3X3).map(([a, b]) => [a, b]);
    expect(value(gwetAC1(two, noCi))).toBeCloseTo(0.8493305, 7);
    expect(value(percentAgreement(two, noCi))).toBeCloseTo(0.89, 10);
    expect(value(gwetAC1(two, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.9402369, 7);
    expect(value(percentAgreement(two, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.9725, 10);
    const six = unitsFromCounts(GWET_DISTRIB_6RATERS);
    expect(value(gwetAC1(six, noCi))).toBeCloseTo(0.4448007, 7);
    expect(value(gwetAC1(six, { weights: 'quadratic', ...noCi }))).toBeCloseTo(0.4837438, 7);
  });

  it('stays high where one category dominates and kappa collapses (the reason to offer it)', () => {
    // 100 step verdicts, 96 "good" from both coders and 4 split ones (computed here, not published):
    // pa = 0.96; π(good) = 0.98, so Fleiss' pe = 0.9608 and κ ≈ −0.02; AC1's pe = 2·0.98·0.02 = 0.0392.
    const units = [...repeat(['good', 'good'], 96), ...repeat(['good', 'error'], 4)];
    expect(value(fleissKappa(units, noCi))).toBeCloseTo((0.96 - 0.9608) / (1 - 0.9608), 10);
    expect(value(gwetAC1(units, noCi))).toBeCloseTo((0.96 - 0.0392) / (1 - 0.0392), 10);
  });
});

describe("Kendall's tau-b", () => {
  // SciPy, scipy.stats.kendalltau docstring and scipy/stats/tests/test_stats.py: x = [12, 2, 1,
  // 12, 2], y = [1, 4, 7, 1, 0] → tau = -0.47140452079103173, p = 0.2827454599327748 (cross-
  // checked there with R's cor.test(..., method = "kendall", exact = FALSE)).
  it("reproduces SciPy's documented example with ties", () => {
    const r = kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0], noCi);
    expect(value(r)).toBeCloseTo(-0.47140452079103173, 14);
    expect(r.pValue).toBeCloseTo(0.2827454599327748, 12);
    expect(r).toMatchObject({ n: 5, concordant: 2, discordant: 6, tiedFirst: 1, tiedSecond: 0, tiedBoth: 1 });
  });

  it('is 1 for the same order, −1 for the reverse, and counts pairs as a hand count does', () => {
    // Computed here: for 1..4 against 1, 3, 2, 4 one pair of the six is discordant: (5 − 1)/6.
    expect(value(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4], noCi))).toBeCloseTo(4 / 6, 14);
    expect(value(kendallTauB([1, 2, 3], [10, 20, 30], noCi))).toBe(1);
    expect(value(kendallTauB([1, 2, 3], [3, 2, 1], noCi))).toBe(-1);
  });
});

describe('exact binomial test', () => {
  // R, ?binom.test (Conover 1971, p. 97f.): 682 of 925 plants against p = 3/4 → p-value = 0.3825.
  // SciPy, scipy.stats.binomtest docstring: 3 of 15 against p = 0.1, 'greater' → 0.18406106910639114.
  it("matches R's and SciPy's documented examples", () => {
    expect(binomialTest(682, 925, 0.75)).toBeCloseTo(0.3825, 4);
    expect(binomialTest(3, 15, 0.1, 'greater')).toBeCloseTo(0.18406106910639114, 14);
  });

  it('is a sign test at p = 1/2 (computed here: 9 of 10 → 2·11/1024)', () => {
    expect(binomialTest(9, 10, 0.5)).toBeCloseTo(22 / 1024, 14);
    expect(binomialTest(5, 10, 0.5)).toBe(1);
  });
});
