/**
 * Leniency and agreement with a reference, read from the column store, must be exactly the
 * figures the rating table of the same units gives (the dashboard reads columns; the CLI and
 * the unit tests with published values read tables): same coders, same counts, same values,
 * same seeded intervals, same refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_CODE } from '../../../shared/agreement/columns.ts';
import { AgreementInputError, HitTally, leniency, referenceAgreement, type ColumnRatings, type RatingTable, type Value } from '../../../shared/agreement/index.ts';
import { groupedRows, resolveBootstrap } from '../../../shared/agreement/bootstrap.ts';

const BOOTSTRAP = { seed: 3, replicates: 200 };

/** Columns of 1–4 coders over up to 50 units, values from a small dictionary, some cells empty; a selection in unit order. */
const columnsArb = fc
  .record({ k: fc.integer({ min: 1, max: 6 }), coders: fc.integer({ min: 1, max: 4 }), units: fc.integer({ min: 1, max: 50 }) })
  .chain(({ k, coders, units }) =>
    fc.record({
      dictionary: fc.constant<Value[]>(Array.from({ length: k }, (_, i) => 1 + ((i * 3) % 7))),
      columns: fc.array(fc.array(fc.integer({ min: -1, max: k - 1 }), { minLength: units, maxLength: units }), { minLength: coders, maxLength: coders }),
      reference: fc.array(fc.integer({ min: -1, max: k - 1 }), { minLength: units, maxLength: units }),
      keep: fc.array(fc.boolean(), { minLength: units, maxLength: units }),
    }),
  );

function prepare(x: { dictionary: Value[]; columns: number[][]; reference: number[]; keep: boolean[] }) {
  const coders = x.columns.map((_, c) => `coder${c}`);
  const select = Int32Array.from(x.keep.flatMap((k, u) => (k ? [u] : [])));
  const ratings: ColumnRatings = { kind: 'columns', columns: x.columns.map((c) => Int32Array.from(c)), dictionary: x.dictionary, coders, select };
  // The table of the same selection: coders with a rating there, units named by their index.
  const rows = x.columns.map((col, c) => ({ coder: coders[c]!, row: Array.from(select, (u) => (col[u]! === NO_CODE ? null : x.dictionary[col[u]!]!)) })).filter((r) => r.row.some((v) => v !== null));
  const table: RatingTable = { coders: rows.map((r) => r.coder), units: Array.from(select, String), matrix: rows.map((r) => r.row) };
  const reference = new Map<string, Value>();
  for (const u of select) if (x.reference[u]! >= 0) reference.set(String(u), x.dictionary[x.reference[u]!]!);
  return { ratings, table, reference, codes: Int32Array.from(x.reference) };
}

describe('per-coder figures from columns', () => {
  it('give the leniency of the rating table of the same units', () => {
    fc.assert(
      fc.property(columnsArb, (x) => {
        const { ratings, table } = prepare(x);
        expect(leniency(ratings, { bootstrap: BOOTSTRAP })).toEqual(leniency(table as RatingTable<number>, { bootstrap: BOOTSTRAP }));
      }),
      { numRuns: 200 },
    );
  });

  it('give the agreement with a reference of the rating table and a reference map, with or without a match rule', () => {
    const near = (a: Value, b: Value) => Math.abs((a as number) - (b as number)) <= 1;
    fc.assert(
      fc.property(columnsArb, (x) => {
        const { ratings, table, reference, codes } = prepare(x);
        expect(referenceAgreement(ratings, codes, { bootstrap: BOOTSTRAP })).toEqual(referenceAgreement(table, reference, { bootstrap: BOOTSTRAP }));
        expect(referenceAgreement(ratings, codes, { match: near, bootstrap: BOOTSTRAP })).toEqual(referenceAgreement(table, reference, { match: near, bootstrap: BOOTSTRAP }));
      }),
      { numRuns: 200 },
    );
  });

  it('refuse a text score for leniency, naming the unit and coder', () => {
    const ratings: ColumnRatings = { kind: 'columns', columns: [Int32Array.from([0, 1]), Int32Array.from([0, 0])], dictionary: [3, 'high'], coders: ['ana', 'ben'], select: [0, 1] };
    expect(() => leniency(ratings)).toThrow(AgreementInputError);
    expect(() => leniency(ratings)).toThrow('unit "1", coder "ana" has "high"');
  });
});

describe('a tally of hits', () => {
  it('is the figure of the same hits as a list, in whichever order they came', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 80 }), (hits) => {
        const tally = new HitTally();
        for (const h of hits) tally.add(h);
        const rows = hits.map((h) => (h ? 1 : 0));
        const meanOf = (s: Float64Array) => (s[1]! > 0 ? s[0]! / s[1]! : null);
        const fig = tally.figure(BOOTSTRAP, 'none');
        if (hits.length === 0) expect(fig).toMatchObject({ defined: false, reason: 'no_shared_units', message: 'none' });
        else {
          const c = groupedRows(1, rows);
          expect(fig).toEqual({ defined: true, value: meanOf(c.sum()), ci: c.bootstrap(meanOf, resolveBootstrap(BOOTSTRAP)) });
        }
        expect([tally.ones, tally.n]).toEqual([rows.filter((r) => r === 1).length, hits.length]);
      }),
      { numRuns: 200 },
    );
  });
});
