/**
 * The building blocks the agreement dashboard will use: bias tests, leniency, agreement with a
 * reference, first-error agreement, Dawid–Skene reliability, and the converters from long-form
 * ratings. Values here are computed by hand in the comments (no published reference exists for
 * these combinations), or planted in simulated data.
 */
import { describe, expect, it } from 'vitest';
import {
  AgreementInputError,
  NO_ERROR,
  Random,
  binomialTest,
  chanceRate,
  dawidSkene,
  firstErrorAgreement,
  firstErrorMatch,
  lengthBias,
  leniency,
  pairsFromRatings,
  poissonBinomialPmf,
  positionBias,
  referenceAgreement,
  tableFromRatings,
  unitsFromRatings,
  type Rating,
} from '../../../shared/agreement/index.ts';
import { binomialPmf } from '../../../shared/agreement/special.ts';

describe('position bias', () => {
  it('tests the first-position rate against 1/N with an exact binomial test', () => {
    // 15 of 20 pairwise preferences went to the response shown first: chance predicts 10.
    const trials = [
      ...Array.from({ length: 15 }, () => ({ displayed: 2, chosenPosition: 0 })),
      ...Array.from({ length: 5 }, () => ({ displayed: 2, chosenPosition: 1 })),
      { displayed: 2, chosenPosition: null },
    ];
    const r = positionBias(trials);
    expect(r).toMatchObject({ defined: true, value: 0.75, trials: 20, hits: 15, expectedRate: 0.5, excluded: 1 });
    // Two-sided sign test: P(X ≥ 15) + P(X ≤ 5) for Binomial(20, 1/2) = 2·21700/2²⁰.
    expect(r.pValue).toBeCloseTo((2 * 21700) / 2 ** 20, 12);
    expect(r.wilson!.lower).toBeLessThan(0.75);
    expect(r.wilson!.upper).toBeGreaterThan(0.75);
  });

  it('uses the Poisson-binomial null when the number of responses varies, and reports each N', () => {
    const trials = [
      ...Array.from({ length: 30 }, (_, i) => ({ displayed: 2, chosenPosition: i < 20 ? 0 : 1 })),
      ...Array.from({ length: 30 }, (_, i) => ({ displayed: 4, chosenPosition: i < 15 ? 0 : 3 })),
    ];
    const r = positionBias(trials);
    expect(r.expectedRate).toBeCloseTo((30 / 2 + 30 / 4) / 60, 12);
    expect(r.byOptions).toMatchObject([
      { options: 2, trials: 30, hits: 20, expectedRate: 0.5 },
      { options: 4, trials: 30, hits: 15, expectedRate: 0.25 },
    ]);
    expect(r.byOptions[0]!.pValue).toBeCloseTo(binomialTest(20, 30, 0.5), 14);
    // The null of the total is the convolution of the two binomials.
    const a = binomialPmf(30, 0.5);
    const b = binomialPmf(30, 0.25);
    const conv = poissonBinomialPmf([{ n: 30, p: 0.5 }, { n: 30, p: 0.25 }]);
    let at35 = 0;
    for (let i = 0; i <= 35; i++) if (35 - i <= 30 && i <= 30) at35 += a[i]! * b[35 - i]!;
    expect(conv[35]).toBeCloseTo(at35, 14);
    expect(conv.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('finds no bias in an annotator who picks positions uniformly, and none without trials', () => {
    const rng = new Random(1);
    const r = positionBias(Array.from({ length: 2000 }, () => ({ displayed: 3, chosenPosition: rng.below(3) })));
    expect(r.pValue).toBeGreaterThan(0.01);
    expect(positionBias([{ displayed: 2, chosenPosition: null }])).toMatchObject({ defined: false, reason: 'no_trials', excluded: 1, pValue: null });
    expect(() => positionBias([{ displayed: 2, chosenPosition: 2 }])).toThrow(AgreementInputError);
    expect(() => chanceRate([{ options: 1, hit: true }])).toThrow(/at least two/);
  });
});

describe('length bias', () => {
  it('is a sign test on pairs, leaving out ties in length and in preference', () => {
    const trials = [
      ...Array.from({ length: 9 }, () => ({ lengths: [120, 300], chosen: 1 })),
      { lengths: [500, 200], chosen: 1 },
      { lengths: [200, 200], chosen: 0 },
      { lengths: [100, 400], chosen: null },
    ];
    const r = lengthBias(trials);
    expect(r).toMatchObject({ defined: true, trials: 10, hits: 9, value: 0.9, excludedTiedLongest: 1, excludedNoChoice: 1 });
    // 9 of 10 against 1/2: 2·(1 + 10)/1024.
    expect(r.pValue).toBeCloseTo(22 / 1024, 14);
  });
});

describe('bias trials held in columns', () => {
  it('give the figures the trial lists give, over the rows named, shared lengths and all', () => {
    const rng = new Random(5);
    // 400 trials on 150 tasks of 2–4 responses; −1 is no single winner.
    const taskLengths = Array.from({ length: 150 }, () => Array.from({ length: 2 + rng.below(3) }, () => 10 + rng.below(5) * 10));
    const lengthAt: number[] = [];
    const flat: number[] = [];
    for (const ls of taskLengths) {
      lengthAt.push(flat.length);
      flat.push(...ls);
    }
    const task = Array.from({ length: 400 }, () => rng.below(150));
    const chosen = task.map((t) => (rng.uniform() < 0.1 ? -1 : rng.below(taskLengths[t]!.length)));
    const chosenPosition = task.map((t, r) => (chosen[r] === -1 ? -1 : rng.below(taskLengths[t]!.length)));
    const displayed = task.map((t) => taskLengths[t]!.length);
    const rows = Int32Array.from({ length: 400 }, (_, r) => r).filter((r) => r % 3 !== 1);
    const columns = { rows, displayed: Int32Array.from(displayed), chosenPosition: Int32Array.from(chosenPosition), chosen: Int32Array.from(chosen), lengths: Float64Array.from(flat), lengthAt: Int32Array.from(task, (t) => lengthAt[t]!), lengthCount: Int32Array.from(displayed) };
    const picked = Array.from(rows);
    const asPositions = picked.map((r) => ({ displayed: displayed[r]!, chosenPosition: chosenPosition[r] === -1 ? null : chosenPosition[r]! }));
    const asLengths = picked.map((r) => ({ lengths: taskLengths[task[r]!]!, chosen: chosen[r] === -1 ? null : chosen[r]! }));
    const position = positionBias(columns);
    expect(position).toEqual(positionBias(asPositions));
    expect(position.excluded).toBeGreaterThan(0);
    const length = lengthBias(columns);
    expect(length).toEqual(lengthBias(asLengths));
    expect(length.excludedTiedLongest).toBeGreaterThan(0);
    expect(length.byOptions.map((g) => g.options)).toEqual([2, 3, 4]);
    expect(() => positionBias({ ...columns, chosenPosition: Int32Array.from(displayed) })).toThrow(/is not among the/);
  });
});

describe('leniency', () => {
  it('is the mean difference from the other coders on shared units', () => {
    // Unit u1: A 5, B 3, C 4; unit u2: A 4, B 2; unit u3: C 1 alone.
    // A: (5 − 3.5) and (4 − 2) → 1.75. B: (3 − 4.5), (2 − 4) → −1.75. C: (4 − 4) → 0.
    const ratings: Rating<number>[] = [
      { unit: 'u1', coder: 'A', value: 5 },
      { unit: 'u1', coder: 'B', value: 3 },
      { unit: 'u1', coder: 'C', value: 4 },
      { unit: 'u2', coder: 'A', value: 4 },
      { unit: 'u2', coder: 'B', value: 2 },
      { unit: 'u3', coder: 'C', value: 1 },
    ];
    const r = leniency(ratings, { bootstrap: { replicates: 100 } });
    expect(r.map((x) => [x.coder, x.defined && x.value, x.units])).toEqual([
      ['A', 1.75, 2],
      ['B', -1.75, 2],
      ['C', 0, 1],
    ]);
    expect(r[0]).toMatchObject({ meanScore: 4.5, othersMean: 2.75 });
    const alone = leniency([{ unit: 'u', coder: 'solo', value: 3 }]);
    expect(alone[0]).toMatchObject({ coder: 'solo', defined: false, reason: 'no_shared_units', units: 0 });
  });

  it('finds a planted lenient annotator with an interval away from zero', () => {
    const rng = new Random(5);
    const ratings: Rating<number>[] = [];
    for (let u = 0; u < 400; u++) {
      const truth = 1 + rng.below(5);
      ratings.push({ unit: `t${u}`, coder: 'fair1', value: truth }, { unit: `t${u}`, coder: 'fair2', value: truth }, { unit: `t${u}`, coder: 'soft', value: Math.min(5, truth + (rng.uniform() < 0.6 ? 1 : 0)) });
    }
    const soft = leniency(ratings).find((r) => r.coder === 'soft')!;
    expect(soft.defined && soft.ci && soft.ci.lower).toBeGreaterThan(0.2);
    expect(() => leniency([{ unit: 'u', coder: 'a', value: 'high' as unknown as number }])).toThrow(/numeric scores/);
  });
});

describe('agreement with a reference', () => {
  it('is each coder’s accuracy on units with a reference answer', () => {
    const gold = new Map([['u1', 'safe'], ['u2', 'unsafe'], ['u3', 'safe']]);
    const ratings: Rating<string>[] = [
      { unit: 'u1', coder: 'A', value: 'safe' },
      { unit: 'u2', coder: 'A', value: 'safe' },
      { unit: 'u3', coder: 'A', value: 'safe' },
      { unit: 'u4', coder: 'A', value: 'unsafe' },
      { unit: 'u4', coder: 'B', value: 'safe' },
    ];
    const r = referenceAgreement(ratings, gold, { bootstrap: false });
    expect(r[0]).toMatchObject({ coder: 'A', defined: true, units: 3, matches: 2 });
    expect(r[0]!.defined && r[0]!.value).toBeCloseTo(2 / 3, 14);
    expect(r[1]).toMatchObject({ coder: 'B', defined: false, reason: 'no_shared_units' });
  });

  it('takes a custom match, such as first-error steps within one step', () => {
    const ref = new Map([['t1', 3], ['t2', NO_ERROR], ['t3', 0]]);
    const ratings: Rating<number>[] = [
      { unit: 't1', coder: 'A', value: 4 },
      { unit: 't2', coder: 'A', value: 0 },
      { unit: 't3', coder: 'A', value: NO_ERROR },
    ];
    expect(referenceAgreement(ratings, ref, { match: firstErrorMatch(1), bootstrap: false })[0]).toMatchObject({ matches: 1, units: 3 });
    expect(referenceAgreement(ratings, ref, { match: firstErrorMatch(0), bootstrap: false })[0]).toMatchObject({ matches: 0 });
  });
});

describe('first-error agreement', () => {
  it('counts agreeing pairs per unit, exactly and within ±k, "no error" matching only itself', () => {
    // t1: 2, 2, 3 → exact 1 of 3 pairs, within 1: 3 of 3. t2: none, 0 → 0 and 0. t3: none, none → 1, 1.
    const r = firstErrorAgreement([[2, 2, 3], [NO_ERROR, 0], [NO_ERROR, NO_ERROR], [5]], { within: 1, bootstrap: { replicates: 50 } });
    expect(r).toMatchObject({ units: 4, pairableUnits: 3 });
    expect(r.exact.defined && r.exact.value).toBeCloseTo((1 / 3 + 0 + 1) / 3, 14);
    expect(r.within.defined && r.within.value).toBeCloseTo((1 + 0 + 1) / 3, 14);
    expect(r.within).toMatchObject({ steps: 1 });
    expect(firstErrorAgreement([[1]]).exact).toMatchObject({ defined: false, reason: 'no_pairable_values' });
    expect(() => firstErrorAgreement([[1, -2]])).toThrow(/not a step index/);
    expect(() => firstErrorMatch(-1)).toThrow(AgreementInputError);
  });
});

describe('Dawid–Skene', () => {
  // Three careful annotators and one who answers at random, on 600 units with three classes.
  function simulate(seed: number): { ratings: Rating[]; truth: Map<string, string> } {
    const rng = new Random(seed);
    const classes = ['good', 'error', 'unsafe'];
    const ratings: Rating[] = [];
    const truth = new Map<string, string>();
    for (let u = 0; u < 600; u++) {
      const t = rng.uniform() < 0.7 ? 'good' : classes[1 + rng.below(2)]!;
      truth.set(`u${u}`, t);
      for (const [coder, accuracy] of [['careful1', 0.9], ['careful2', 0.85], ['careful3', 0.8], ['random', 0]] as const) {
        ratings.push({ unit: `u${u}`, coder, value: rng.uniform() < accuracy ? t : classes[rng.below(3)]! });
      }
    }
    return { ratings, truth };
  }

  it('ranks annotators by reliability, recovers most labels, and converges deterministically', () => {
    const { ratings, truth } = simulate(3);
    const r = dawidSkene(ratings);
    const again = dawidSkene(ratings);
    expect(again).toEqual(r);
    if (!r.defined) throw new Error(r.reason);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(100);
    // Each estimate is close to the coder's actual accuracy against the planted truth.
    for (const c of r.coders) {
      const mine = ratings.filter((x) => x.coder === c.coder);
      const actual = mine.filter((x) => x.value === truth.get(x.unit)).length / mine.length;
      expect(Math.abs(c.accuracy - actual), c.coder).toBeLessThan(0.02);
    }
    const acc = Object.fromEntries(r.coders.map((c) => [c.coder, c.accuracy]));
    expect(acc['careful3']).toBeGreaterThan(acc['random']! + 0.4);
    const right = r.units.filter((u) => u.label === truth.get(u.unit)).length;
    expect(right / r.units.length).toBeGreaterThan(0.95);
    for (const c of r.coders) for (const row of c.confusion) expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it('holds gold units to their answer, uses gold units with fewer coders, and leaves out the rest', () => {
    const ratings: Rating[] = [
      ...['a', 'b', 'c'].map((coder) => ({ unit: 'u1', coder, value: 'x' })),
      { unit: 'g1', coder: 'a', value: 'x' },
      { unit: 'lonely', coder: 'a', value: 'y' },
      ...['a', 'b', 'c'].map((coder) => ({ unit: 'u2', coder, value: coder === 'c' ? 'x' : 'y' })),
    ];
    const r = dawidSkene(ratings, { gold: new Map([['g1', 'y']]), maxIterations: 5 });
    if (!r.defined) throw new Error(r.reason);
    expect(r.excludedUnits).toBe(1);
    expect(r.units.map((u) => u.unit)).toEqual(['u1', 'g1', 'u2']);
    expect(r.units[1]).toMatchObject({ unit: 'g1', label: 'y', probability: 1, gold: true });
    expect(r.iterations).toBeLessThanOrEqual(5);
    expect(dawidSkene([{ unit: 'u', coder: 'a', value: 1 }])).toMatchObject({ defined: false, reason: 'no_pairable_values', excludedUnits: 1 });
    expect(() => dawidSkene(ratings, { smoothing: 0 })).toThrow(/smoothing must be > 0/);
    expect(() => dawidSkene(ratings, { minCoders: 0 })).toThrow(/minCoders/);
    expect(() => dawidSkene([...ratings, { unit: 'u1', coder: 'a', value: 'y' }])).toThrow(/"a" rated unit "u1" twice/);
  });
});

describe('from long-form ratings', () => {
  const ratings: Rating[] = [
    { unit: 't1', coder: 'ana', value: 'A' },
    { unit: 't1', coder: 'ben', value: 'B' },
    { unit: 't2', coder: 'ben', value: 'A' },
    { unit: 't3', coder: 'ana', value: 'tie' },
    { unit: 't3', coder: 'ben', value: 'tie' },
  ];

  it('builds the matrix, per-unit values and pairs', () => {
    expect(tableFromRatings(ratings)).toEqual({ coders: ['ana', 'ben'], units: ['t1', 't2', 't3'], matrix: [['A', null, 'tie'], ['B', 'A', 'tie']] });
    expect(unitsFromRatings(ratings)).toEqual({ units: ['t1', 't2', 't3'], values: [['A', 'B'], ['A'], ['tie', 'tie']] });
    expect(pairsFromRatings(ratings, 'ana', 'ben')).toEqual({ units: ['t1', 't3'], pairs: [['A', 'B'], ['tie', 'tie']] });
    expect(pairsFromRatings(ratings, 'ana', 'nobody')).toEqual({ units: [], pairs: [] });
  });

  it('lets the per-coder figures and Dawid–Skene take a ready coder × unit table instead', () => {
    const scores: Rating<number>[] = [
      { unit: 'u1', coder: 'A', value: 5 }, { unit: 'u1', coder: 'B', value: 3 }, { unit: 'u1', coder: 'C', value: 4 },
      { unit: 'u2', coder: 'A', value: 4 }, { unit: 'u2', coder: 'B', value: 4 }, { unit: 'u2', coder: 'C', value: 2 },
    ];
    const table = tableFromRatings(scores);
    expect(leniency(table)).toEqual(leniency(scores));
    expect(referenceAgreement(table, new Map([['u1', 4]]))).toEqual(referenceAgreement(scores, new Map([['u1', 4]])));
    expect(dawidSkene(table)).toEqual(dawidSkene(scores));
    expect(() => leniency({ coders: ['A'], units: ['u1', 'u2'], matrix: [[1]] })).toThrow(/"A" has 1 cells, the table names 2 units/);
  });

  it('refuses two ratings by one coder of one unit', () => {
    expect(() => tableFromRatings([...ratings, { unit: 't1', coder: 'ana', value: 'B' }])).toThrow(/"ana" rated unit "t1" twice/);
  });
});
