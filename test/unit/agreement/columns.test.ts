/**
 * The column store's coding (shared/agreement/columns.ts) must be exactly the coding of the
 * same values laid out unit by unit: the dashboard's figures come from columns, the CLI's
 * from CSV unit lists, and both must print the same numbers to the last digit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedInput, codeColumns, NO_CODE, valuesIn, type Columns } from '../../../shared/agreement/columns.ts';
import { columnPairs, columnUnits } from '../../../shared/agreement/column-patterns.ts';
import { codeUnits, patternsOf } from '../../../shared/agreement/data.ts';
import { gwetAC1, krippendorffAlpha, percentAgreement, type Value } from '../../../shared/agreement/index.ts';

/** Coder columns over a dictionary of labels or numbers, some cells empty, and a selection of units. */
const columnsArb = fc
  .record({
    numbers: fc.boolean(),
    k: fc.integer({ min: 1, max: 40 }),
    coders: fc.integer({ min: 1, max: 4 }),
    units: fc.integer({ min: 1, max: 60 }),
  })
  .chain(({ numbers, k, coders, units }) =>
    fc.record({
      // Numbers out of order and labels in no particular order: the coding must sort or keep them as codeUnits does.
      // Up to 40 values: past the dense pattern table for four coders (41⁴ keys), so both lookups are exercised.
      dictionary: fc.constant<Value[]>(Array.from({ length: k }, (_, i) => (numbers ? ((i * 37) % 101) / 2 - 20 : `v${k - i}`))),
      columns: fc.array(fc.array(fc.integer({ min: -1, max: Math.min(k - 1, 3 + (units % 5) * 9) }), { minLength: units, maxLength: units }), { minLength: coders, maxLength: coders }),
      keep: fc.array(fc.boolean(), { minLength: units, maxLength: units }),
    }),
  );

function asUnits(data: Columns, select: readonly number[]): Value[][] {
  return select.map((u) => data.columns.flatMap((col) => (col[u]! === NO_CODE ? [] : [data.dictionary[col[u]!]!])));
}

function prepare(x: { dictionary: Value[]; columns: number[][]; keep: boolean[] }) {
  const data: Columns = { dictionary: x.dictionary, columns: x.columns.map((c) => Int32Array.from(c)) };
  const select = x.keep.flatMap((k, u) => (k ? [u] : []));
  return { data, select, units: asUnits(data, select) };
}

describe('coding units held in columns', () => {
  it('gives the codes, categories and offsets codeUnits gives the same values unit by unit', () => {
    fc.assert(
      fc.property(columnsArb, fc.boolean(), (x, given) => {
        const { data, select, units } = prepare(x);
        const categories = given ? [...x.dictionary].reverse() : undefined;
        const opts = { categories, ordered: false, metric: 'test' };
        const a = codeColumns(data, select, opts);
        const b = codeUnits(units, opts);
        expect(a.categories).toEqual(b.categories);
        expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
        expect(Array.from(a.codes)).toEqual(Array.from(b.codes));
      }),
      { numRuns: 300 },
    );
  });

  it('gives alpha, AC1 and percent agreement with their seeded intervals identical to the unit lists', () => {
    fc.assert(
      fc.property(columnsArb, (x) => {
        const { data, select, units } = prepare(x);
        const numeric = x.dictionary.every((v) => typeof v === 'number');
        const coded = CodedInput.of(codeColumns(data, select, { ordered: false, metric: 'test' }), undefined);
        const bootstrap = { seed: 5, replicates: 40 };
        for (const level of numeric ? (['nominal', 'ordinal', 'interval'] as const) : (['nominal'] as const)) {
          expect(krippendorffAlpha(coded, { level, bootstrap })).toEqual(krippendorffAlpha(units, { level, bootstrap }));
        }
        expect(gwetAC1(coded, { bootstrap })).toEqual(gwetAC1(units, { bootstrap }));
        expect(percentAgreement(coded, { bootstrap })).toEqual(percentAgreement(units, { bootstrap }));
      }),
      { numRuns: 200 },
    );
  });

  it('groups units into the patterns patternsOf finds, in the same order, in one pass over the columns', () => {
    fc.assert(
      fc.property(columnsArb, fc.boolean(), (x, given) => {
        const { data, select } = prepare(x);
        const categories = given ? [...x.dictionary].reverse() : undefined;
        const opts = { ordered: false, metric: 'test' };
        const fast = columnUnits(data, select, () => categories, opts);
        const slow = codeColumns(data, select, { ...opts, categories });
        const { categories: cats, patterns } = fast.patternsFor({ ...opts, categories });
        expect(cats).toEqual(slow.categories);
        expect(patterns).toEqual(patternsOf(slow));
        expect(fast.length).toBe(select.length);
      }),
      { numRuns: 400 },
    );
  });

  it('codes every pair of columns over the units both hold exactly as columnUnits codes that pair alone, in one pass', () => {
    fc.assert(
      fc.property(columnsArb, fc.boolean(), fc.boolean(), (x, given, all) => {
        const { data, select } = prepare(x);
        const categories = given ? [...x.dictionary].reverse() : undefined;
        const opts = { ordered: false, metric: 'test' };
        const C = data.columns.length;
        const pairs: [number, number][] = [];
        for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) if (a !== b) pairs.push([a, b]);
        const scope = all ? null : select;
        const coded = columnPairs(data, pairs, scope, () => categories, opts);
        pairs.forEach(([a, b], p) => {
          const units = (scope ?? data.columns[0]!.map((_, u) => u)).filter((u) => data.columns[a]![u]! >= 0 && data.columns[b]![u]! >= 0);
          const pair = { dictionary: data.dictionary, columns: [data.columns[a]!, data.columns[b]!] };
          if (units.length === 0) return expect(coded[p]).toBeNull();
          const alone = columnUnits(pair, units, () => categories, opts);
          expect(coded[p]!.units).toBe(units.length);
          expect(coded[p]!.input.length).toBe(alone.length);
          expect(coded[p]!.input.given).toBe(alone.given);
          expect(coded[p]!.input.patternsFor({ ...opts, categories })).toEqual(alone.patternsFor({ ...opts, categories }));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what the unit lists refuse: a value off the given categories, labels where an order is needed', () => {
    const data: Columns = { dictionary: ['yes', 'no', 'maybe'], columns: [Int32Array.from([0, 1]), Int32Array.from([2, 0])] };
    expect(() => codeColumns(data, [0, 1], { categories: ['yes', 'no'], ordered: false, metric: 'test' })).toThrow('unit 1: "maybe" is not one of the categories ("yes", "no")');
    const coded = CodedInput.of(codeColumns(data, [0, 1], { ordered: false, metric: 'test' }), undefined);
    expect(() => krippendorffAlpha(coded, { level: 'ordinal' })).toThrow(/needs numbers/);
    expect(valuesIn(data, [1, 0])).toEqual(['no', 'yes', 'maybe']);
  });
});
