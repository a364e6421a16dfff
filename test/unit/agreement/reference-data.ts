/**
 * Published data sets the agreement tests check against, each with where it comes from.
 * (Kept in one place so the reference-value and property tests use the same tables.)
 */
import type { Cell, Value } from '../../../shared/agreement/index.ts';

const N = null;

/**
 * Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers ×
 * 12 units with missing values. Also irrCAC's `cac.raw4raters` (Gwet), transposed, and the
 * data of fast-krippendorff's tests/test_krippendorff.py.
 */
export const KRIPPENDORFF_2011: Cell[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
  [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
];

/** Wikipedia, "Krippendorff's alpha", computational example: 3 coders × 15 units. */
export const WIKIPEDIA_ALPHA: Cell[][] = [
  [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
  [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
  [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
];

/**
 * Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories, as counts
 * of raters per category (also statsmodels' stats/tests/test_inter_rater.py `table1`).
 */
export const WIKIPEDIA_FLEISS_COUNTS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/**
 * Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
 * 76(5): 30 patients, 6 psychiatrists, 5 diagnoses — R's irr::diagnoses, with each row's ratings
 * in sorted order as in statsmodels' test_inter_rater.py (`diagnoses`); order within a row does
 * not change Fleiss' kappa.
 */
export const FLEISS_1971: number[][] = [
  [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
];

/** irrCAC's `distrib.6raters` (Gwet): 15 psychiatric patients, 6 raters, counts per category. */
export const GWET_DISTRIB_6RATERS = [
  [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
];

/** irrCAC's `cont3x3abstractors` (Gwet): two abstractors, categories Ectopic, AIU, NIU. */
export const GWET_CONT3X3 = [
  [13, 0, 0],
  [0, 20, 7],
  [0, 4, 56],
];

/** A SAS PROC FREQ example used by statsmodels' test_inter_rater.py (`table10`). */
export const SAS_TABLE10 = [
  [0, 4, 1],
  [0, 8, 0],
  [0, 1, 5],
];

/** R's irr::anxiety, raters 2 and 3 (20 subjects), as in statsmodels' test_inter_rater.py. */
export const ANXIETY_RATER2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
export const ANXIETY_RATER3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];

/** Units (rows of counts per category) as the values each received: category k is `labels[k]` (default k + 1). */
export function unitsFromCounts(rows: readonly (readonly number[])[], labels?: readonly Value[]): Value[][] {
  return rows.map((row) => row.flatMap((n, k) => Array.from({ length: n }, () => labels?.[k] ?? k + 1)));
}

/** A two-coder contingency table (rows: coder 1's category, columns: coder 2's) as value pairs. */
export function pairsFromTable(table: readonly (readonly number[])[], labels?: readonly Value[]): [Value, Value][] {
  return table.flatMap((row, i) => row.flatMap((n, j) => Array.from({ length: n }, (): [Value, Value] => [labels?.[i] ?? i + 1, labels?.[j] ?? j + 1])));
}

export function repeat<T>(value: T, n: number): T[] {
  return Array.from({ length: n }, () => value);
}
