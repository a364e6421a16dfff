/**
 * Dawid–Skene read from the column store must be exactly the estimate the long-form ratings
 * of the same units give (the dashboard reads columns; the CLI and the other tests read rating
 * lists and tables): same coders, same groups, same iterations, same numbers to the last bit,
 * same refusals with the same messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_CODE } from '../../../shared/agreement/columns.ts';
import { AgreementInputError, dawidSkene, type ColumnRatings, type DawidSkeneOptions, type DawidSkeneResult, type Rating, type RatingTable, type Value } from '../../../shared/agreement/index.ts';

/** Numbers and labels mixed, out of order, so categories must be sorted as the long form sorts them. */
const POOL: readonly Value[] = [3, 'b', -1.5, 'a', 0, 10, 'ten', 2, 'Z', 7.25];

interface Data {
  readonly dictionary: Value[];
  readonly columns: number[][];
  /** Gold code by unit, NO_CODE where none; the code one past the dictionary names no entry (no gold) or, in a map, OUTSIDE. */
  readonly gold: number[];
  /** Gold as the columns' codes, as a map by unit id in the options, or none. */
  readonly goldVia: 'columns' | 'map' | 'none';
  /** Units selected, a subset in any order. */
  readonly select: number[];
}

/** Coders over up to 30 units, values from a pool (k of them), some cells empty, gold on some units, a shuffled subset selected. */
function dataArb(pool: readonly Value[], sizes: { k: { min: number; max: number }; coders: { min: number; max: number }; missing: number }): fc.Arbitrary<Data> {
  return fc
    .record({ k: fc.integer(sizes.k), coders: fc.integer(sizes.coders), units: fc.integer({ min: 0, max: 30 }), offset: fc.nat(pool.length - 1), goldVia: fc.constantFrom<Data['goldVia']>('columns', 'map', 'none') })
    .chain(({ k, coders, units, offset, goldVia }) => {
      const cell = fc.oneof({ weight: sizes.missing, arbitrary: fc.constant(NO_CODE) }, { weight: 6, arbitrary: fc.integer({ min: 0, max: k - 1 }) });
      return fc.record({
        dictionary: fc.constant(Array.from({ length: k }, (_, i) => pool[(i + offset) % pool.length]!)),
        columns: fc.array(fc.array(cell, { minLength: units, maxLength: units }), { minLength: coders, maxLength: coders }),
        gold: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(NO_CODE) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: k }) }), { minLength: units, maxLength: units }),
        goldVia: fc.constant(goldVia),
        select: fc.shuffledSubarray([...Array(units).keys()]),
      });
    });
}

/** 1–5 coders, a third of the cells empty: small keys, grouped through the dense table or the map. */
const smallArb = dataArb(POOL, { k: { min: 1, max: POOL.length }, coders: { min: 1, max: 5 }, missing: 3 });
/** Five coders and 70–150 values, few cells empty: keys too wide for a double, grouped by strings. */
const WIDE: readonly Value[] = Array.from({ length: 150 }, (_, i) => (i % 3 ? `w${(i * 7) % 150}` : i / 4 - 9));
const wideArb = dataArb(WIDE, { k: { min: 70, max: WIDE.length }, coders: { min: 5, max: 5 }, missing: 1 });

/** Options: minCoders 1–4, the categories (all the dictionary's, shuffled, with an extra; or some missing), verdicts or not. */
function optionsArb(dictionary: readonly Value[]): fc.Arbitrary<DawidSkeneOptions> {
  const categories = fc.oneof(
    fc.constant(undefined),
    fc.shuffledSubarray([...dictionary, 'extra'], { minLength: dictionary.length + 1 }),
    // Hostile: some values, or some gold answers, off the list.
    fc.shuffledSubarray([...dictionary]),
  );
  return fc.record({ minCoders: fc.integer({ min: 1, max: 4 }), categories, coderEstimatesOnly: fc.boolean(), maxIterations: fc.integer({ min: 1, max: 30 }) });
}

const names = (data: Data): string[] => data.columns.map((_, c) => `coder${c}`);

function columnInput(data: Data, order: readonly number[] = data.columns.map((_, c) => c)): ColumnRatings {
  const coders = names(data);
  return {
    kind: 'columns',
    columns: order.map((c) => Int32Array.from(data.columns[c]!)),
    dictionary: data.dictionary,
    coders: order.map((c) => coders[c]!),
    select: Int32Array.from(data.select),
    ...(data.goldVia === 'columns' ? { gold: Int32Array.from(data.gold) } : {}),
  };
}

/** A gold answer that is no dictionary entry (only a map can give one). */
const OUTSIDE = 'outside';

/** The gold answers by unit id, for the long form. */
function goldMap(data: Data): Map<string, Value> | undefined {
  if (data.goldVia === 'none') return undefined;
  const gold = new Map<string, Value>();
  for (const u of data.select) {
    const g = data.gold[u]!;
    if (g >= 0 && g < data.dictionary.length) gold.set(String(u), data.dictionary[g]!);
    else if (g >= 0 && data.goldVia === 'map') gold.set(String(u), OUTSIDE);
  }
  return gold;
}

/** The options for the column path: gold in a map only when the columns carry none. */
function columnOptions(data: Data, opts: DawidSkeneOptions): DawidSkeneOptions {
  const gold = goldMap(data);
  return data.goldVia === 'map' && gold ? { ...opts, gold } : opts;
}

/**
 * The same units in long form, unit by unit in selection order. The long form numbers coders
 * as first met, the column path in column order: the columns are put in the order the long
 * form meets their coders, and each unit's ratings listed in that order (the long form checks a
 * unit's values in list order, the column path in coder order). Units with no rating are absent
 * from the long form, so it counts them out of `excludedUnits`.
 */
function longForm(data: Data): { ratings: Rating[]; order: number[]; empty: number } {
  const coders = names(data);
  const order: number[] = [];
  let empty = 0;
  for (const u of data.select) {
    const rated = data.columns.flatMap((col, c) => (col[u]! === NO_CODE ? [] : [c]));
    for (const c of rated) if (!order.includes(c)) order.push(c);
    if (rated.length === 0) empty++;
  }
  for (let c = 0; c < data.columns.length; c++) if (!order.includes(c)) order.push(c);
  const ratings = data.select.flatMap((u) => order.flatMap((c) => (data.columns[c]![u]! === NO_CODE ? [] : [{ unit: String(u), coder: coders[c]!, value: data.dictionary[data.columns[c]![u]!]! }])));
  return { ratings, order, empty };
}

/** The coder × unit table of the selection: coders with a rating there, in column order; every selected unit. */
function table(data: Data): RatingTable {
  const coders = names(data);
  const rows = data.columns
    .map((col, c) => ({ coder: coders[c]!, row: data.select.map((u) => (col[u]! === NO_CODE ? null : data.dictionary[col[u]!]!)) }))
    .filter((r) => r.row.some((v) => v !== null));
  return { coders: rows.map((r) => r.coder), units: data.select.map(String), matrix: rows.map((r) => r.row) };
}

type Outcome = { readonly result: DawidSkeneResult } | { readonly error: string };

function run(f: () => DawidSkeneResult): Outcome {
  try {
    return { result: f() };
  } catch (e) {
    if (!(e instanceof AgreementInputError)) throw e;
    return { error: e.message };
  }
}

function expectSame(a: Outcome, b: Outcome): void {
  expect(a).toEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

describe('Dawid–Skene from columns', () => {
  for (const [name, arb, numRuns] of [['small keys', smallArb, 500], ['wide keys', wideArb, 60]] as const) {
    it(`gives exactly the estimate (or the refusal) of the long-form ratings of the same units (${name})`, () => {
      fc.assert(
        fc.property(
          arb.chain((data) => fc.tuple(fc.constant(data), optionsArb(data.dictionary))),
          ([data, opts]) => {
            const { ratings, order, empty } = longForm(data);
            const gold = goldMap(data);
            const fromColumns = run(() => dawidSkene(columnInput(data, order), columnOptions(data, opts)));
            const fromList = run(() => dawidSkene(ratings, { ...opts, ...(gold ? { gold } : {}) }));
            // The long form never met the selected units without ratings: they are left out all the same.
            const expected = 'result' in fromList ? { result: { ...fromList.result, excludedUnits: fromList.result.excludedUnits + empty } } : fromList;
            expectSame(fromColumns, expected);
          },
        ),
        { numRuns },
      );
    });

    it(`gives exactly the estimate of the rating table of the same units, whatever the columns’ order (${name})`, () => {
      fc.assert(
        fc.property(
          arb.chain((data) => fc.tuple(fc.constant(data), optionsArb(data.dictionary))),
          ([data, opts]) => {
            const gold = goldMap(data);
            expectSame(
              run(() => dawidSkene(columnInput(data), columnOptions(data, opts))),
              run(() => dawidSkene(table(data), { ...opts, ...(gold ? { gold } : {}) })),
            );
          },
        ),
        { numRuns },
      );
    });
  }

  it('refuses a dictionary entry that is not a value, naming it, even when no unit uses it', () => {
    fc.assert(
      fc.property(smallArb, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), fc.nat(), (data, bad, at) => {
        const dictionary = [...data.dictionary];
        const g = at % (dictionary.length + 1);
        dictionary.splice(g, 0, bad);
        expect(run(() => dawidSkene({ ...columnInput(data), dictionary }))).toEqual({ error: `value ${g + 1} of the column dictionary: ${String(bad)} is not a value` });
      }),
      { numRuns: 200 },
    );
  });

  it('names the unit whose value or gold answer is off the category list', () => {
    const data: Data = { dictionary: ['x', 'y', 'z'], columns: [[0, 1, 0], [0, 2, 1], [1, 1, 0]], gold: [NO_CODE, NO_CODE, 2], goldVia: 'columns', select: [2, 1, 0] };
    expect(run(() => dawidSkene(columnInput(data), { categories: ['x', 'y'] }))).toEqual({ error: 'gold answer for unit "2" (z) is not one of the categories' });
    expect(run(() => dawidSkene(columnInput(data), { categories: ['x', 'z'] }))).toEqual({ error: 'unit "2": y is not one of the categories' });
    expect(run(() => dawidSkene(columnInput(data), { categories: ['x', 'x'] }))).toEqual({ error: 'Dawid–Skene: category list names "x" twice' });
  });

  it('keeps apart units that differ only in how many ratings they have, gold or not', () => {
    // Unit a: A says x, B says y, no gold. Unit g: B says y, gold x. With the gold digit leading
    // the key and nothing saying how many ratings follow, a's key and g's key were one number:
    // a was counted as a gold unit, and A credited with a unit it never rated.
    const ratings: Rating[] = [
      { unit: 'a', coder: 'A', value: 'x' },
      { unit: 'a', coder: 'B', value: 'y' },
      { unit: 'g', coder: 'B', value: 'y' },
    ];
    const r = dawidSkene(ratings, { minCoders: 2, gold: new Map([['g', 'x']]) });
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(r.units.map((u) => [u.unit, u.gold])).toEqual([
      ['a', false],
      ['g', true],
    ]);
    expect(r.coders.map((c) => [c.coder, c.units])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    const columns: ColumnRatings = { kind: 'columns', columns: [Int32Array.from([0, NO_CODE]), Int32Array.from([1, 1])], dictionary: ['x', 'y'], coders: ['A', 'B'], select: [0, 1], gold: Int32Array.from([NO_CODE, 0]) };
    expect(dawidSkene(columns, { minCoders: 2 })).toMatchObject({ units: [{ gold: false }, { gold: true }], coders: [{ coder: 'A', units: 1 }, { coder: 'B', units: 2 }] });
  });
});
