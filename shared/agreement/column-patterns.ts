/**
 * Units held in columns, grouped into patterns without coding every value: a unit's pattern is
 * the multiset of its dictionary codes, keyed by a number. What these give is exactly what
 * patternsOf(codeColumns(…)) gives the same units (the same patterns in the same order, the
 * same values first met, the same refusals), checked by property tests; where patterns would
 * not serve (keys too wide, many categories for few units) they fall back to exactly that.
 */
import { CodedInput, codeColumns, valuesIn, type Columns } from './columns.ts';
import { categoriesOf, checkValue, type CodingOptions, type Pattern } from './data.ts';
import type { Value } from './types.ts';

/**
 * The selected units coded and grouped into patterns without a code per value: units are
 * grouped by their multiset of dictionary codes (the same grouping as by category codes, the
 * mapping being one to one), then each pattern is recoded. Gives what patternsOf(codeColumns(…))
 * gives, in the same order; falls back to exactly that where patterns would not serve (many
 * categories for few units, or keys too wide). `categoriesFor` picks the category list from the
 * values present (the rubric's, or none). For many selections of the same units, find their
 * patterns once with ColumnPatterns.of.
 */
export function columnUnits(data: Columns, select: ArrayLike<number>, categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined, opts: Omit<CodingOptions, 'categories'>): CodedInput {
  const patterns = ColumnPatterns.of(data);
  return patterns ? patterns.units(select, categoriesFor, opts) : slowUnits(data, select, categoriesFor, opts);
}

/**
 * For each pair (a, b) of columns, the units of `select` (all units when null) where both
 * columns hold a value, coded and grouped as columnUnits codes `{ columns: [a, b] }` over just
 * those units, in one pass over the units for every pair (per annotator pair, or a judge with
 * each expert). A pair no unit has is null.
 */
export function columnPairs(
  data: Columns,
  pairs: readonly (readonly [number, number])[],
  select: ArrayLike<number> | null,
  categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined,
  opts: Omit<CodingOptions, 'categories'>,
): ({ units: number; input: CodedInput } | null)[] {
  const { columns, dictionary } = data;
  const base = dictionary.length + 1;
  const n = select ? select.length : (columns[0]?.length ?? 0);
  const scans = pairs.map(() => new PatternScan(dictionary, 2, opts));
  const counts = new Int32Array(pairs.length);
  for (let i = 0; i < n; i++) {
    const u = select ? select[i]! : i;
    for (let p = 0; p < pairs.length; p++) {
      const [a, b] = pairs[p]!;
      const ga = columns[a]![u]!;
      const gb = columns[b]![u]!;
      if (ga < 0 || gb < 0) continue;
      const scan = scans[p]!;
      const at = counts[p]!++;
      scan.see(ga, at);
      scan.see(gb, at);
      // The sorted pair as columnUnits keys it: the larger code's digit above the smaller's.
      scan.count(ga < gb ? (gb + 1) * base + ga + 1 : (ga + 1) * base + gb + 1, 2);
    }
  }
  return pairs.map(([a, b], p) => {
    if (counts[p] === 0) return null;
    // The units of the pair, for the cases patterns do not serve.
    const both = (): Int32Array => {
      const out = new Int32Array(counts[p]!);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const u = select ? select[i]! : i;
        if (columns[a]![u]! >= 0 && columns[b]![u]! >= 0) out[k++] = u;
      }
      return out;
    };
    const pair = { columns: [columns[a]!, columns[b]!], dictionary };
    const input = scans[p]!.finish(counts[p]!, () => slowUnits(pair, both(), categoriesFor, opts), categoriesFor, opts);
    return { units: counts[p]!, input };
  });
}

/**
 * Every unit's pattern over all the columns, found once, for figures over many selections of
 * the same units (a field overall, per bundle, per version, the units a judge answered): a
 * selection is then coded by counting its units' patterns, which gives exactly what
 * columnUnits gives it (the same patterns in the same order, the same values first met, the
 * same refusals), at a fraction of the cost per unit.
 */
export class ColumnPatterns {
  private constructor(
    private readonly data: Columns,
    /** By unit: its pattern's index, −1 where no column holds a value. */
    private readonly pattern: Int32Array,
    private readonly keys: readonly number[],
    private readonly sizes: readonly number[],
  ) {}

  /** The patterns of every unit, or null where their keys would not fit (columnUnits then codes each selection itself). */
  static of(data: Columns): ColumnPatterns | null {
    const { columns, dictionary } = data;
    const C = columns.length;
    const base = dictionary.length + 1;
    if (C === 0 || C * Math.log2(base) >= 52) return null;
    const n = columns[0]!.length;
    const dense = base ** C <= 1 << 16 ? new Int32Array(base ** C) : null;
    const sparse = dense ? null : new Map<number, number>();
    const pattern = new Int32Array(n);
    const keys: number[] = [];
    const sizes: number[] = [];
    const scratch = new Int32Array(C);
    for (let u = 0; u < n; u++) {
      let m = 0;
      for (let c = 0; c < C; c++) {
        const g = columns[c]![u]!;
        if (g < 0) continue;
        let j = m++;
        while (j > 0 && scratch[j - 1]! > g) {
          scratch[j] = scratch[j - 1]!;
          j--;
        }
        scratch[j] = g;
      }
      if (m === 0) {
        pattern[u] = -1;
        continue;
      }
      let key = 0;
      for (let j = m - 1; j >= 0; j--) key = key * base + scratch[j]! + 1;
      let p = dense ? dense[key]! - 1 : (sparse!.get(key) ?? 0) - 1;
      if (p < 0) {
        p = keys.length;
        if (dense) dense[key] = p + 1;
        else sparse!.set(key, p + 1);
        keys.push(key);
        sizes.push(m);
      }
      pattern[u] = p;
    }
    return new ColumnPatterns(data, pattern, keys, sizes);
  }

  /** The selected units coded and grouped, as columnUnits(data, select, …) would. */
  units(select: ArrayLike<number>, categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined, opts: Omit<CodingOptions, 'categories'>): CodedInput {
    const { columns, dictionary } = this.data;
    const count = new Int32Array(this.keys.length);
    const met: number[] = [];
    const scan = new PatternScan(dictionary, columns.length, opts);
    for (let i = 0; i < select.length; i++) {
      const u = select[i]!;
      const p = this.pattern[u]!;
      if (p < 0) continue;
      if (count[p]!++ === 0) {
        // A pattern's first unit is where each of its values not met before is first met.
        met.push(p);
        for (let c = 0; c < columns.length; c++) {
          const g = columns[c]![u]!;
          if (g >= 0) scan.see(g, i);
        }
      }
    }
    for (const p of met) scan.pattern(this.keys[p]!, this.sizes[p]!, count[p]!);
    return scan.finish(select.length, () => slowUnits(this.data, select, categoriesFor, opts), categoriesFor, opts);
  }
}

/** codeColumns, then patternsOf: the reference path the pattern scans must equal. */
function slowUnits(data: Columns, select: ArrayLike<number>, categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined, opts: Omit<CodingOptions, 'categories'>): CodedInput {
  const given = categoriesFor(valuesIn(data, select));
  return CodedInput.of(codeColumns(data, select, { ...opts, categories: given }), given);
}

/**
 * Units grouped into patterns by a key of their sorted dictionary codes (each code + 1, one
 * digit per value in base dictionary.length + 1), with the values in the order first met.
 */
class PatternScan {
  private readonly base: number;
  // Pattern index + 1 by key: a dense table when the keys are few, else a map.
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;
  private readonly seen: Uint8Array;
  private readonly order: number[] = [];
  private readonly keys: number[] = [];
  private readonly counts: number[] = [];
  private maxSize = 0;

  constructor(
    private readonly dictionary: readonly Value[],
    coders: number,
    private readonly opts: Omit<CodingOptions, 'categories'>,
  ) {
    this.base = dictionary.length + 1;
    this.dense = this.base ** coders <= 1 << 16 ? new Int32Array(this.base ** coders) : null;
    this.sparse = this.dense ? null : new Map();
    this.seen = new Uint8Array(dictionary.length);
  }

  /** Code g met in the scan's i-th unit (0-based). */
  see(g: number, i: number): void {
    if (this.seen[g]) return;
    this.seen[g] = 1;
    checkValue(this.dictionary[g]!, `${this.opts.item ?? 'unit'} ${i + 1}`);
    this.order.push(g);
  }

  /** A unit of `size` values with this key. */
  count(key: number, size: number): void {
    if (size > this.maxSize) this.maxSize = size;
    const p = this.dense ? this.dense[key]! - 1 : (this.sparse!.get(key) ?? 0) - 1;
    if (p >= 0) this.counts[p]!++;
    else {
      if (this.dense) this.dense[key] = this.keys.length + 1;
      else this.sparse!.set(key, this.keys.length + 1);
      this.keys.push(key);
      this.counts.push(1);
    }
  }

  /** A pattern not counted before, taken by `count` units of `size` values. */
  pattern(key: number, size: number, count: number): void {
    if (size > this.maxSize) this.maxSize = size;
    this.keys.push(key);
    this.counts.push(count);
  }

  /** The scanned units (`units` of them) as CodedInput, or `slow()`'s where patterns would not group or a value is off the given list. */
  finish(units: number, slow: () => CodedInput, categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined, opts: Omit<CodingOptions, 'categories'>): CodedInput {
    const { dictionary, order, base } = this;
    const present = order.map((g) => dictionary[g]!);
    const given = categoriesFor(present);
    const categories = given ? categoriesOf([], { ...opts, categories: given }) : present.every((v) => typeof v === 'number') ? Array.from(Float64Array.from(present as number[]).sort()) : categoriesOf(present, opts);
    // A value off the given list is refused by codeColumns, naming its unit.
    const known = new Set(categories);
    if (given && present.some((v) => !known.has(v))) return slow();
    if (!(this.maxSize * Math.log2(categories.length + 1) < 52 && categories.length * 4 < units)) return slow();
    const local = new Map<Value, number>(categories.map((c, k) => [c, k]));
    const localOf = new Int32Array(dictionary.length);
    for (const g of order) localOf[g] = local.get(dictionary[g]!)!;
    const patterns: Pattern[] = this.keys.map((key, p) => {
      // The key's digits are the unit's dictionary codes + 1: recode them and count each category.
      const codes: number[] = [];
      for (let k = key; k > 0; k = Math.floor(k / base)) codes.push(localOf[(k % base) - 1]!);
      codes.sort((a, b) => a - b);
      const runs: [number, number][] = [];
      for (const c of codes) {
        const last = runs[runs.length - 1];
        if (last && last[0] === c) last[1]++;
        else runs.push([c, 1]);
      }
      return { counts: runs, size: codes.length, units: this.counts[p]! };
    });
    return new CodedInput(categories, given, units, () => patterns);
  }
}
