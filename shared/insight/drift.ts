/**
 * Drift: each annotator's agreement with the others and with gold, period by period (ISO week
 * or batch), per field. Hits are tallied in typed arrays: a field's units times its annotators
 * make millions of comparisons.
 */
import { HitTally, type BootstrapOptions, type Figure } from '../agreement/index.ts';
import { unitCount, type Facts, type FieldFacts } from './facts.ts';
import type { FigureOptions } from './figures.ts';
import type { DriftFigures, DriftPoint } from './report.ts';

/** Many hit tallies at once, in typed arrays (drift adds millions of hits: no object per add). */
class PeriodTallies {
  private readonly ones: Int32Array;
  private readonly total: Int32Array;
  /** Whether the first hit added was a match (−1: none added yet). */
  private readonly first: Int8Array;

  constructor(size: number) {
    this.ones = new Int32Array(size);
    this.total = new Int32Array(size);
    this.first = new Int8Array(size).fill(-1);
  }

  /** A match (hit 1) or a miss (hit 0) at k: counted without a branch on which, as matches come in no order. */
  add(k: number, hit: number): void {
    if (this.first[k]! < 0) this.first[k] = hit;
    this.ones[k]! += hit;
    this.total[k]!++;
  }

  n(k: number): number {
    return this.total[k]!;
  }

  tally(k: number): HitTally {
    return HitTally.of(this.ones[k]!, this.total[k]! - this.ones[k]!, this.first[k] === 1);
  }
}

/** A period's share of hits, with the number of answers behind it. */
const periodFigure = (h: HitTally, bootstrap: BootstrapOptions): Figure & { n: number } => ({ ...h.figure(bootstrap, 'no answer to compare in this period'), n: h.n });

/**
 * Drift: per coder, field and period (ISO week, or batch), the share of the other coders'
 * answers on the same units they matched, and the share of gold answers they matched. Per
 * field, because a drop on one field is diluted to nothing among the others; strength is left
 * out (it repeats the preference).
 */
export function driftFigures(facts: Facts, fields: readonly FieldFacts[], opts: FigureOptions, coders: readonly string[]): DriftFigures[] {
  const out: DriftFigures[] = [];
  const inScope = new Set(coders);
  const periodOf = opts.driftBy === 'week' ? facts.work.week : facts.work.batch;
  const periodNames = opts.driftBy === 'week' ? facts.work.weeks : facts.work.batches;
  // Each coder's period by task (−1: no work on it), looked up once per coder rather than per field and unit.
  const periodsOf: (Int32Array | undefined)[] = facts.workOf.map((work) => {
    const byTask = new Int32Array(work.length);
    for (let t = 0; t < work.length; t++) byTask[t] = work[t]! < 0 ? -1 : periodOf[work[t]!]!;
    return byTask;
  });
  for (const f of fields) {
    if (f.info.aspect === 'strength') continue;
    const n = unitCount(f);
    const C = f.columns.length;
    // The coders measured on this field, in column order; one pass over the units for all of them.
    const measured = f.columns.flatMap((_, c) => (inScope.has(facts.coderIds[c]!) && periodsOf[c] ? [c] : []));
    // Hits and misses per coder and period index, with the others' at 2·period and gold's at 2·period + 1.
    const tallies = measured.map(() => new PeriodTallies(2 * periodNames.length));
    const codes = new Int32Array(C);
    for (let u = 0; u < n; u++) {
      // The unit's codes read once, for every coder compared with the others on it.
      for (let o = 0; o < C; o++) codes[o] = f.columns[o]![u]!;
      const t = f.task[u]!;
      const g = f.gold[u]!;
      for (let k = 0; k < measured.length; k++) {
        const c = measured[k]!;
        const v = codes[c]!;
        if (v < 0) continue;
        const period = periodsOf[c]![t]!;
        if (period < 0) continue;
        // Codes index one dictionary: equal codes, equal values.
        for (let o = 0; o < C; o++) {
          if (o === c) continue;
          const ov = codes[o]!;
          if (ov >= 0) tallies[k]!.add(2 * period, Number(ov === v));
        }
        if (g >= 0) tallies[k]!.add(2 * period + 1, Number(g === v));
      }
    }
    measured.forEach((c, k) => {
      // A period is present once it has a hit or miss.
      const tally = tallies[k]!;
      const byPeriod = new Map<string, { others: HitTally; gold: HitTally }>();
      periodNames.forEach((name, p) => {
        if (tally.n(2 * p) + tally.n(2 * p + 1) > 0) byPeriod.set(name, { others: tally.tally(2 * p), gold: tally.tally(2 * p + 1) });
      });
      if (byPeriod.size === 0) return;
      const periods = [...byPeriod.keys()].sort();
      const points: DriftPoint[] = periods.map((period) => ({
        period,
        withOthers: periodFigure(byPeriod.get(period)!.others, opts.bootstrap),
        withGold: periodFigure(byPeriod.get(period)!.gold, opts.bootstrap),
      }));
      out.push({ coder: facts.coderIds[c]!, field: f.info.id, label: f.info.label, by: opts.driftBy, points });
    });
  }
  return out;
}
