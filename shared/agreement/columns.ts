/**
 * Units held in columns: one Int32Array of value codes per coder (−1 where that coder gave
 * none), codes indexing a dictionary of the values. A column store of 100k tasks is a handful
 * of typed arrays rather than half a million small arrays, which the garbage collector would
 * otherwise spend most of a figure's time walking.
 *
 * codeColumns gives exactly the coding codeUnits would give the same values laid out unit by
 * unit (values in column order), so a figure computed from columns is the figure computed from
 * the unit lists, to the last bit: the same categories, the same codes, the same patterns in
 * the same order, the same bootstrap draws.
 */
import { categoriesOf, patternsOf, type CodedUnits, type CodingOptions, type Pattern } from './data.ts';
import type { UnitValues, Value } from './types.ts';
import { AgreementInputError } from './types.ts';

export const NO_CODE = -1;

/** Coder columns over a dictionary; unit u's values are the dictionary entries its columns hold. */
export interface Columns {
  readonly columns: readonly Int32Array[];
  readonly dictionary: readonly Value[];
}

function describe(v: Value): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function checked(v: Value, where: string): void {
  if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new AgreementInputError(`${where}: ${describe(v)} is not a value (a finite number or a text label)`);
}

/**
 * Codes the selected units (indexes into the columns, in the order given) as codeUnits codes
 * their value lists: the categories given, or the numbers sorted, or labels in the order first
 * met (sorted afterwards for ordered levels).
 */
export function codeColumns(data: Columns, select: ArrayLike<number>, opts: CodingOptions): CodedUnits {
  const { columns, dictionary } = data;
  const units = select.length;
  const offsets = new Int32Array(units + 1);
  // Global code → output code: −2 not met yet.
  const local = new Int32Array(dictionary.length).fill(-2);
  const order: number[] = [];
  let allNumbers = true;
  for (let i = 0; i < units; i++) {
    const u = select[i]!;
    let m = 0;
    for (let c = 0; c < columns.length; c++) {
      const g = columns[c]![u]!;
      if (g < 0) continue;
      m++;
      if (local[g] === -2) {
        const v = dictionary[g]!;
        checked(v, `${opts.item ?? 'unit'} ${i + 1}`);
        local[g] = order.length;
        order.push(g);
        if (typeof v !== 'number') allNumbers = false;
      }
    }
    offsets[i + 1] = offsets[i]! + m;
  }
  let categories: readonly Value[];
  if (opts.categories) {
    const given = categoriesOf([], opts);
    const index = new Map<Value, number>(given.map((c, i) => [c, i]));
    for (const g of order) {
      const k = index.get(dictionary[g]!);
      if (k === undefined) throw new AgreementInputError(`${opts.item ?? 'unit'} ${firstUnitWith(data, select, g) + 1}: ${describe(dictionary[g]!)} is not one of the categories (${given.map(describe).join(', ')})`);
      local[g] = k;
    }
    categories = given;
  } else if (allNumbers) {
    const sorted = Float64Array.from(order, (g) => dictionary[g] as number).sort();
    categories = Array.from(sorted);
    const rank = new Map<number, number>(categories.map((c, i) => [c as number, i]));
    for (const g of order) local[g] = rank.get(dictionary[g] as number)!;
  } else {
    const found = order.map((g) => dictionary[g]!);
    categories = categoriesOf(found, opts);
    if (categories.some((c, i) => c !== found[i])) {
      const index = new Map<Value, number>(categories.map((c, i) => [c, i]));
      for (const g of order) local[g] = index.get(dictionary[g]!)!;
    }
  }
  const codes = new Int32Array(offsets[units]!);
  let at = 0;
  for (let i = 0; i < units; i++) {
    const u = select[i]!;
    for (let c = 0; c < columns.length; c++) {
      const g = columns[c]![u]!;
      if (g >= 0) codes[at++] = local[g]!;
    }
  }
  return { categories, offsets, codes };
}

function firstUnitWith(data: Columns, select: ArrayLike<number>, g: number): number {
  for (let i = 0; i < select.length; i++) for (const col of data.columns) if (col[select[i]!] === g) return i;
  return 0;
}

/** The distinct values the selected units hold (in the order first met). */
export function valuesIn(data: Columns, select: ArrayLike<number>): Value[] {
  const seen = new Uint8Array(data.dictionary.length);
  const out: Value[] = [];
  for (let i = 0; i < select.length; i++) {
    const u = select[i]!;
    for (const col of data.columns) {
      const g = col[u]!;
      if (g >= 0 && !seen[g]) {
        seen[g] = 1;
        out.push(data.dictionary[g]!);
      }
    }
  }
  return out;
}

/**
 * Units already coded, for the metrics that take unit lists: alpha, AC1 and percent agreement
 * of the same units share one coding and one grouping into patterns.
 */
export class CodedInput {
  /** `given`: the category list the units were coded with (undefined: found in the values). */
  constructor(
    readonly categories: readonly Value[],
    readonly given: readonly Value[] | undefined,
    readonly length: number,
    private readonly patterns: () => readonly Pattern[],
  ) {}

  /** Units coded by codeColumns. */
  static of(coded: CodedUnits, given: readonly Value[] | undefined): CodedInput {
    let grouped: readonly Pattern[] | undefined;
    return new CodedInput(coded.categories, given, coded.offsets.length - 1, () => (grouped ??= patternsOf(coded)));
  }

  /** The coding and patterns for a metric with these options (checked as codeUnits would check them). */
  patternsFor(opts: CodingOptions): { categories: readonly Value[]; patterns: readonly Pattern[] } {
    if (opts.categories !== this.given) throw new Error(`${opts.metric}: units coded with another category list`);
    // codeUnits codes the same whatever the level; an ordered or numeric metric only refuses more.
    if (opts.ordered || opts.numeric) categoriesOf(opts.categories ? [] : this.categories, opts);
    return { categories: this.categories, patterns: this.patterns() };
  }
}

/**
 * The selected units coded and grouped into patterns in one pass over the columns, without a
 * code per value: units are grouped by their multiset of dictionary codes (the same grouping
 * as by category codes, the mapping being one to one), then each pattern is recoded. Gives what
 * patternsOf(codeColumns(…)) gives, in the same order; falls back to exactly that where
 * patternsOf would not group (many categories for few units, or keys too wide).
 * `categoriesFor` picks the category list from the values present (the rubric's, or none).
 */
export function columnUnits(data: Columns, select: ArrayLike<number>, categoriesFor: (present: readonly Value[]) => readonly Value[] | undefined, opts: Omit<CodingOptions, 'categories'>): CodedInput {
  const { columns, dictionary } = data;
  const units = select.length;
  const C = columns.length;
  const base = dictionary.length + 1;
  const slow = () => {
    const given = categoriesFor(valuesIn(data, select));
    return CodedInput.of(codeColumns(data, select, { ...opts, categories: given }), given);
  };
  if (C === 0 || C * Math.log2(base) >= 52) return slow();
  // Pattern index + 1 by key: a dense table when the keys are few, else a map.
  const dense = base ** C <= 1 << 16 ? new Int32Array(base ** C) : null;
  const sparse = dense ? null : new Map<number, number>();
  const seen = new Uint8Array(dictionary.length);
  const order: number[] = [];
  const keys: number[] = [];
  const counts: number[] = [];
  const scratch = new Int32Array(C);
  let maxSize = 0;
  for (let i = 0; i < units; i++) {
    const u = select[i]!;
    let m = 0;
    for (let c = 0; c < C; c++) {
      const g = columns[c]![u]!;
      if (g < 0) continue;
      if (!seen[g]) {
        seen[g] = 1;
        checked(dictionary[g]!, `${opts.item ?? 'unit'} ${i + 1}`);
        order.push(g);
      }
      let j = m++;
      while (j > 0 && scratch[j - 1]! > g) {
        scratch[j] = scratch[j - 1]!;
        j--;
      }
      scratch[j] = g;
    }
    if (m === 0) continue;
    if (m > maxSize) maxSize = m;
    let key = 0;
    for (let j = m - 1; j >= 0; j--) key = key * base + scratch[j]! + 1;
    const p = dense ? dense[key]! - 1 : (sparse!.get(key) ?? 0) - 1;
    if (p >= 0) counts[p]!++;
    else {
      if (dense) dense[key] = keys.length + 1;
      else sparse!.set(key, keys.length + 1);
      keys.push(key);
      counts.push(1);
    }
  }
  const present = order.map((g) => dictionary[g]!);
  const given = categoriesFor(present);
  const categories = given ? categoriesOf([], { ...opts, categories: given }) : present.every((v) => typeof v === 'number') ? Array.from(Float64Array.from(present as number[]).sort()) : categoriesOf(present, opts);
  // A value off the given list is refused by codeColumns, naming its unit.
  const known = new Set(categories);
  if (given && present.some((v) => !known.has(v))) return slow();
  if (!(maxSize * Math.log2(categories.length + 1) < 52 && categories.length * 4 < units)) return slow();
  const local = new Map<Value, number>(categories.map((c, k) => [c, k]));
  const localOf = new Int32Array(dictionary.length);
  for (const g of order) localOf[g] = local.get(dictionary[g]!)!;
  const patterns: Pattern[] = keys.map((key, p) => {
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
    return { counts: runs, size: codes.length, units: counts[p]! };
  });
  return new CodedInput(categories, given, units, () => patterns);
}

/** What the unit-list metrics accept: the value lists, or units already coded. */
export type UnitsInput = UnitValues | CodedInput;
