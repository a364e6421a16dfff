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
import { categoriesOf, checkValue, describe, patternsOf, type CodedUnits, type CodingOptions, type Pattern } from './data.ts';
import type { UnitValues, Value } from './types.ts';
import { AgreementInputError } from './types.ts';

export const NO_CODE = -1;

/** Coder columns over a dictionary; unit u's values are the dictionary entries its columns hold. */
export interface Columns {
  readonly columns: readonly Int32Array[];
  readonly dictionary: readonly Value[];
}

/**
 * Ratings already held in columns (the dashboard's column store), for the figures that take
 * ratings (Dawid–Skene, leniency, agreement with a reference): one column per coder over the
 * same units, codes into one dictionary. Unit i of a figure is `select[i]`.
 */
export interface ColumnRatings extends Columns {
  readonly kind: 'columns';
  /** The coder each column belongs to. */
  readonly coders: readonly string[];
  readonly select: ArrayLike<number>;
  /** Gold answers' codes by unit (as `select` names units), NO_CODE where none (Dawid–Skene: used instead of its `gold` option). */
  readonly gold?: Int32Array;
}

/** The coders (column indexes, in order) who rated some selected unit: the rows a rating table of the selection would have. */
export function ratedColumns(columns: readonly Int32Array[], select: ArrayLike<number>): number[] {
  const rated: number[] = [];
  columns.forEach((col, c) => {
    for (let i = 0; i < select.length; i++) {
      if (col[select[i]!]! >= 0) {
        rated.push(c);
        return;
      }
    }
  });
  return rated;
}

/** Whether ratings are column ratings rather than a rating list or table. */
export const isColumnRatings = (r: object): r is ColumnRatings => 'kind' in r && r.kind === 'columns';

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
        checkValue(v, `${opts.item ?? 'unit'} ${i + 1}`);
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

/** What the unit-list metrics accept: the value lists, or units already coded. */
export type UnitsInput = UnitValues | CodedInput;
