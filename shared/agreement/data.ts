/**
 * Turning plain ratings into what the metrics count: category indices, and units grouped by
 * the multiset of values they received (the patterns the bootstrap resamples).
 */
import type { UnitsInput } from './columns.ts';
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
  /** What one entry of the input is called in errors (default "unit"). */
  readonly item?: string;
}

/** A value as messages quote it: text in quotes, numbers bare. */
export function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** Refuses anything but a finite number or a text label, saying where it was met. */
export function checkValue(v: unknown, where: string): asserts v is Value {
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
  let allNumbers = true;
  for (const values of units) {
    total += values.length;
    for (let i = 0; i < values.length && allNumbers; i++) allNumbers = typeof values[i] === 'number';
  }
  const offsets = new Int32Array(units.length + 1);
  for (let u = 0; u < units.length; u++) offsets[u + 1] = offsets[u]! + units[u]!.length;
  if (allNumbers && !opts.categories) return codeNumbers(units, offsets, opts);
  const codes = new Int32Array(total);
  // One pass: codes in order of first appearance (or of the given list), sorted afterwards
  // for ordered levels.
  const given = opts.categories ? categoriesOf([], opts) : null;
  const index = new Map<Value, number>(given?.map((c, i) => [c, i]));
  const found: Value[] = given ?? [];
  let at = 0;
  for (let u = 0; u < units.length; u++) {
    const values = units[u]!;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      let c = index.get(v);
      if (c === undefined) {
        checkValue(v, `${opts.item ?? 'unit'} ${u + 1}`);
        if (given) throw new AgreementInputError(`${opts.item ?? 'unit'} ${u + 1}: ${describe(v)} is not one of the categories (${given.map(describe).join(', ')})`);
        c = found.length;
        found.push(v);
        index.set(v, c);
      }
      codes[at++] = c;
    }
  }
  if (given) return { categories: given, offsets, codes };
  const categories = categoriesOf(found, opts);
  if (categories.some((c, i) => c !== found[i])) {
    const remap = new Int32Array(found.length);
    const sortedIndex = new Map<Value, number>(categories.map((c, i) => [c, i]));
    found.forEach((c, i) => (remap[i] = sortedIndex.get(c)!));
    for (let i = 0; i < codes.length; i++) codes[i] = remap[codes[i]!]!;
  }
  return { categories, offsets, codes };
}

// Numbers without a given list: the distinct values sorted (a typed-array sort, no hashing of
// doubles), each value's code found by binary search. Fast however many distinct values occur.
function codeNumbers(units: UnitValues, offsets: Int32Array, opts: CodingOptions): CodedUnits {
  const raw = new Float64Array(offsets[units.length]!);
  let at = 0;
  units.forEach((values, u) => {
    for (const v of values as readonly number[]) {
      if (!Number.isFinite(v)) checkValue(v, `${opts.item ?? 'unit'} ${u + 1}`);
      raw[at++] = v;
    }
  });
  const sorted = raw.slice().sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  const categories = Array.from(sorted.subarray(0, distinct));
  const codes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (categories[mid]! < raw[i]!) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  return { categories, offsets, codes };
}

/** Units that received the same multiset of values: `counts` lists (category, how many). */
export interface Pattern {
  readonly counts: readonly (readonly [number, number])[];
  /** Values in the unit (m). */
  readonly size: number;
  /** Units with this pattern. */
  units: number;
}

/**
 * Groups units by the multiset of their codes; units without values are left out. With many
 * categories (near-continuous scores) units rarely repeat, so each stays its own pattern.
 */
export function patternsOf(coded: CodedUnits): Pattern[] {
  const { offsets, codes, categories } = coded;
  const units = offsets.length - 1;
  let maxSize = 0;
  for (let u = 0; u < units; u++) maxSize = Math.max(maxSize, offsets[u + 1]! - offsets[u]!);
  const base = categories.length + 1;
  const group = maxSize * Math.log2(base) < 52 && categories.length * 4 < units;
  const scratch = new Int32Array(maxSize);
  const byKey = new Map<number, Pattern & { units: number }>();
  const out: (Pattern & { units: number })[] = [];
  for (let u = 0; u < units; u++) {
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
    let key = 0;
    if (group) {
      for (let i = m - 1; i >= 0; i--) key = key * base + scratch[i]! + 1;
      const known = byKey.get(key);
      if (known) {
        known.units++;
        continue;
      }
    }
    const counts: [number, number][] = [];
    for (let i = 0; i < m; i++) {
      const last = counts[counts.length - 1];
      if (last && last[0] === scratch[i]) last[1]++;
      else counts.push([scratch[i]!, 1]);
    }
    const p = { counts, size: m, units: 1 };
    if (group) byKey.set(key, p);
    out.push(p);
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

/** Each rating's unit and coder as indexes into the units and coders, both in the order first met. */
export function indexRatings(ratings: readonly Rating[]): { units: string[]; coders: string[]; unitOf: Int32Array; coderOf: Int32Array } {
  const coderIndex = new Map<string, number>();
  const unitIndex = new Map<string, number>();
  const coderOf = new Int32Array(ratings.length);
  const unitOf = new Int32Array(ratings.length);
  ratings.forEach((r, i) => {
    let c = coderIndex.get(r.coder);
    if (c === undefined) coderIndex.set(r.coder, (c = coderIndex.size));
    let u = unitIndex.get(r.unit);
    if (u === undefined) unitIndex.set(r.unit, (u = unitIndex.size));
    coderOf[i] = c;
    unitOf[i] = u;
  });
  return { units: [...unitIndex.keys()], coders: [...coderIndex.keys()], unitOf, coderOf };
}

/** Long-form ratings as a coder × unit matrix; one rating per coder and unit. */
export function tableFromRatings<V extends Value>(ratings: readonly Rating<V>[]): RatingTable<V> {
  const { units, coders, unitOf, coderOf } = indexRatings(ratings);
  const matrix: (V | null)[][] = coders.map(() => new Array<V | null>(units.length).fill(null));
  ratings.forEach((r, i) => {
    const row = matrix[coderOf[i]!]!;
    const u = unitOf[i]!;
    if (row[u] !== null) throw new AgreementInputError(`coder "${r.coder}" rated unit "${r.unit}" twice; pass one rating (the latest revision) per coder and unit`);
    checkValue(r.value, `unit "${r.unit}", coder "${r.coder}"`);
    row[u] = r.value;
  });
  return { coders, units, matrix };
}

/** Ratings in long form, or already laid out as a coder × unit table (cheaper to reuse). */
export type RatingsInput<V extends Value = Value> = readonly Rating<V>[] | RatingTable<V>;

/** The input as a table: built from long-form ratings, or checked for shape. */
export function asTable<V extends Value>(input: RatingsInput<V>): RatingTable<V> {
  if (Array.isArray(input)) return tableFromRatings(input as readonly Rating<V>[]);
  const t = input as RatingTable<V>;
  if (t.matrix.length !== t.coders.length) throw new AgreementInputError(`the table names ${t.coders.length} coders but has ${t.matrix.length} rows`);
  t.matrix.forEach((row, c) => {
    if (row.length !== t.units.length) throw new AgreementInputError(`coder "${t.coders[c]}" has ${row.length} cells, the table names ${t.units.length} units`);
  });
  return t;
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

interface CodedEntry {
  readonly categories: readonly Value[] | undefined;
  readonly ordered: boolean;
  readonly numeric: boolean;
  readonly coded: CodedUnits;
  readonly patterns: readonly Pattern[];
}

// The dashboard asks for alpha, AC1 and percent agreement of the same units one after another;
// coding and grouping them is most of each figure's cost, so it is done once per units array.
// Keyed weakly on the (readonly) array, so nothing outlives the caller's units.
const codedCache = new WeakMap<UnitValues, CodedEntry[]>();

/** codeUnits then patternsOf, shared between figures asked of the same units with the same coding. */
export function codedPatterns(units: UnitsInput, opts: CodingOptions): { categories: readonly Value[]; patterns: readonly Pattern[] } {
  // Units already coded (columns.ts) carry their own coding and patterns.
  if (!Array.isArray(units)) return (units as Exclude<UnitsInput, UnitValues>).patternsFor(opts);
  const numeric = opts.numeric ?? false;
  const entries = codedCache.get(units);
  const hit = entries?.find((e) => e.categories === opts.categories && e.ordered === opts.ordered && e.numeric === numeric);
  if (hit) return { categories: hit.coded.categories, patterns: hit.patterns };
  const coded = codeUnits(units, opts);
  const entry: CodedEntry = { categories: opts.categories, ordered: opts.ordered, numeric, coded, patterns: patternsOf(coded) };
  if (entries) entries.push(entry);
  else codedCache.set(units, [entry]);
  return { categories: coded.categories, patterns: entry.patterns };
}
