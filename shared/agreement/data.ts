/**
 * Turning plain ratings into what the metrics count: category indices, and units grouped by
 * the multiset of values they received (the patterns the bootstrap resamples).
 */
import type { Cell, CoderUnitMatrix, Rating, UnitValues, Value } from './types.ts';
import { AgreementInputError } from './types.ts';

export interface CodedUnits {
  /** The categories, in their order (numeric for ordered levels, else as given or first seen). */
  readonly categories: readonly Value[];
  /** Unit u's values are codes[offsets[u] .. offsets[u+1]). */
  readonly offsets: Int32Array;
  readonly codes: Int32Array;
}

export interface CodingOptions {
  /** All possible categories, in order; values outside it are refused. */
  readonly categories?: readonly Value[] | undefined;
  /** The metric needs an order: without `categories`, values must be numbers and are sorted. */
  readonly ordered: boolean;
  /** The metric needs the values themselves as numbers (interval, ratio). */
  readonly numeric?: boolean;
  /** Named in errors, e.g. "Krippendorff's alpha (ordinal)". */
  readonly metric: string;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function checkValue(v: unknown, where: string): asserts v is Value {
  if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`${where}: ${describe(v)} is not a value (a finite number or a text label)`);
}

/** The category list for these values: given, or found and (for ordered levels) sorted. */
export function categoriesOf(values: Iterable<Value>, opts: CodingOptions): Value[] {
  if (opts.categories) {
    const cats = [...opts.categories];
    const seen = new Set<Value>();
    for (const c of cats) {
      checkValue(c, `${opts.metric}: category list`);
      if (opts.numeric && typeof c !== 'number') throw new AgreementInputError(`${opts.metric} needs numbers; the category list has ${describe(c)}`);
      if (seen.has(c)) throw new AgreementInputError(`${opts.metric}: category list names ${describe(c)} twice`);
      seen.add(c);
    }
    return cats;
  }
  const found = new Set<Value>();
  for (const v of values) found.add(v);
  const cats = [...found];
  if (opts.ordered || opts.numeric) {
    const text = cats.find((c) => typeof c !== 'number');
    if (text !== undefined) throw new AgreementInputError(`${opts.metric} needs numbers (or the categories given in order); found ${describe(text)}`);
    (cats as number[]).sort((a, b) => a - b);
  }
  return cats;
}

export function codeUnits(units: UnitValues, opts: CodingOptions): CodedUnits {
  let total = 0;
  for (let u = 0; u < units.length; u++) {
    const values = units[u]!;
    for (let i = 0; i < values.length; i++) checkValue(values[i], `unit ${u + 1}`);
    total += values.length;
  }
  const categories = categoriesOf((function* () {
    for (const values of units) yield* values;
  })(), opts);
  const index = new Map<Value, number>(categories.map((c, i) => [c, i]));
  const offsets = new Int32Array(units.length + 1);
  const codes = new Int32Array(total);
  let at = 0;
  for (let u = 0; u < units.length; u++) {
    for (const v of units[u]!) {
      const c = index.get(v);
      if (c === undefined) throw new AgreementInputError(`unit ${u + 1}: ${describe(v)} is not one of the categories (${categories.map(describe).join(', ')})`);
      codes[at++] = c;
    }
    offsets[u + 1] = at;
  }
  return { categories, offsets, codes };
}

/** Units that received the same multiset of values: `counts` lists (category, how many). */
export interface Pattern {
  readonly counts: readonly (readonly [number, number])[];
  /** Values in the unit (m). */
  readonly size: number;
  /** Units with this pattern. */
  readonly units: number;
}

/** Groups units by the multiset of their codes; units without values are left out. */
export function patternsOf(coded: CodedUnits): Pattern[] {
  const { offsets, codes, categories } = coded;
  let maxSize = 0;
  for (let u = 0; u + 1 < offsets.length; u++) maxSize = Math.max(maxSize, offsets[u + 1]! - offsets[u]!);
  const base = categories.length + 1;
  const numericKeys = maxSize * Math.log2(base) < 52;
  const scratch = new Int32Array(maxSize);
  const byKey = new Map<number | string, { sorted: Int32Array; units: number }>();
  for (let u = 0; u + 1 < offsets.length; u++) {
    const m = offsets[u + 1]! - offsets[u]!;
    if (m === 0) continue;
    for (let i = 0; i < m; i++) {
      // Insertion sort: units hold a handful of values.
      const v = codes[offsets[u]! + i]!;
      let j = i;
      while (j > 0 && scratch[j - 1]! > v) {
        scratch[j] = scratch[j - 1]!;
        j--;
      }
      scratch[j] = v;
    }
    let key: number | string;
    if (numericKeys) {
      key = 0;
      for (let i = m - 1; i >= 0; i--) key = key * base + scratch[i]! + 1;
    } else key = Array.prototype.join.call(scratch.subarray(0, m), ',');
    const g = byKey.get(key);
    if (g) g.units++;
    else byKey.set(key, { sorted: scratch.slice(0, m), units: 1 });
  }
  const out: Pattern[] = [];
  for (const { sorted, units } of byKey.values()) {
    const counts: [number, number][] = [];
    for (let i = 0; i < sorted.length; i++) {
      const last = counts[counts.length - 1];
      if (last && last[0] === sorted[i]) last[1]++;
      else counts.push([sorted[i]!, 1]);
    }
    out.push({ counts, size: sorted.length, units });
  }
  return out;
}

/** The values each unit (column) received from the coders (rows) of a matrix. */
export function unitsFromMatrix(matrix: CoderUnitMatrix): Value[][] {
  const width = matrix[0]?.length ?? 0;
  matrix.forEach((row, c) => {
    if (row.length !== width) throw new AgreementInputError(`coder row ${c + 1} has ${row.length} units, the first row has ${width}`);
  });
  const units: Value[][] = [];
  for (let u = 0; u < width; u++) {
    const values: Value[] = [];
    for (const row of matrix) {
      const v = row[u];
      if (v !== null && v !== undefined) values.push(v);
    }
    units.push(values);
  }
  return units;
}

/** Two coders' rows of a matrix as pairs, unit by unit. */
export function pairsFromMatrix(matrix: CoderUnitMatrix, a: number, b: number): [Cell, Cell][] {
  const ra = matrix[a];
  const rb = matrix[b];
  if (!ra || !rb) throw new AgreementInputError(`the matrix has no coder row ${ra ? b + 1 : a + 1}`);
  if (ra.length !== rb.length) throw new AgreementInputError(`coder rows ${a + 1} and ${b + 1} have different numbers of units`);
  return ra.map((v, u) => [v, rb[u]]);
}

export interface RatingTable<V extends Value = Value> {
  /** Coders and units in the order first seen. */
  readonly coders: readonly string[];
  readonly units: readonly string[];
  /** [coder][unit], null where that coder did not code that unit. */
  readonly matrix: readonly (readonly (V | null)[])[];
}

/** Long-form ratings as a coder × unit matrix; one rating per coder and unit. */
export function tableFromRatings<V extends Value>(ratings: readonly Rating<V>[]): RatingTable<V> {
  const coderIndex = new Map<string, number>();
  const unitIndex = new Map<string, number>();
  for (const r of ratings) {
    if (!coderIndex.has(r.coder)) coderIndex.set(r.coder, coderIndex.size);
    if (!unitIndex.has(r.unit)) unitIndex.set(r.unit, unitIndex.size);
  }
  const matrix: (V | null)[][] = [...coderIndex.keys()].map(() => new Array<V | null>(unitIndex.size).fill(null));
  for (const r of ratings) {
    const row = matrix[coderIndex.get(r.coder)!]!;
    const u = unitIndex.get(r.unit)!;
    if (row[u] !== null) throw new AgreementInputError(`coder "${r.coder}" rated unit "${r.unit}" twice; pass one rating (the latest revision) per coder and unit`);
    checkValue(r.value, `unit "${r.unit}", coder "${r.coder}"`);
    row[u] = r.value;
  }
  return { coders: [...coderIndex.keys()], units: [...unitIndex.keys()], matrix };
}

/** Long-form ratings grouped by unit, in the order units are first seen. */
export function unitsFromRatings<V extends Value>(ratings: readonly Rating<V>[]): { units: string[]; values: V[][] } {
  const t = tableFromRatings(ratings);
  return { units: [...t.units], values: unitsFromMatrix(t.matrix) as V[][] };
}

/** The units both coders rated, with their two values. */
export function pairsFromRatings<V extends Value>(ratings: readonly Rating<V>[], a: string, b: string): { units: string[]; pairs: [V, V][] } {
  const t = tableFromRatings(ratings);
  const ia = t.coders.indexOf(a);
  const ib = t.coders.indexOf(b);
  const units: string[] = [];
  const pairs: [V, V][] = [];
  if (ia < 0 || ib < 0) return { units, pairs };
  t.units.forEach((unit, u) => {
    const va = t.matrix[ia]![u];
    const vb = t.matrix[ib]![u];
    if (va !== null && va !== undefined && vb !== null && vb !== undefined) {
      units.push(unit);
      pairs.push([va, vb]);
    }
  });
  return { units, pairs };
}
