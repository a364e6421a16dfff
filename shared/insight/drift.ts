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
  private readonly zeros: Int32Array;
  /** Whether the first hit added was a match (−1: none added yet). */
  private readonly first: Int8Array;

  constructor(size: number) {
    this.ones = new Int32Array(size);
    this.zeros = new Int32Array(size);
    this.first = new Int8Array(size).fill(-1);
  }

  add(k: number, hit: boolean): void {
    if (this.first[k]! < 0) this.first[k] = hit ? 1 : 0;
    if (hit) this.ones[k]!++;
    else this.zeros[k]!++;
  }

  n(k: number): number {
    return this.ones[k]! + this.zeros[k]!;
  }

  tally(k: number): HitTally {
    return HitTally.of(this.ones[k]!, this.zeros[k]!, this.first[k] === 1);
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
    f.columns.forEach((col, c) => {
      const coder = facts.coderIds[c]!;
      if (!inScope.has(coder)) return;
      const periodOfTask = periodsOf[c];
      if (!periodOfTask) return;
      // Hits and misses per period index, with the others' at 2·period and gold's at 2·period + 1.
      const tallies = new PeriodTallies(2 * periodNames.length);
      const others = f.columns.filter((_, o) => o !== c);
      for (let u = 0; u < n; u++) {
        const v = col[u]!;
        if (v < 0) continue;
        const period = periodOfTask[f.task[u]!]!;
        if (period < 0) continue;
        // Codes index one dictionary: equal codes, equal values.
        for (const other of others) {
          const ov = other[u]!;
          if (ov >= 0) tallies.add(2 * period, ov === v);
        }
        const g = f.gold[u]!;
        if (g >= 0) tallies.add(2 * period + 1, g === v);
      }
      // A period is present once it has a hit or miss.
      const byPeriod = new Map<string, { others: HitTally; gold: HitTally }>();
      periodNames.forEach((name, k) => {
        if (tallies.n(2 * k) + tallies.n(2 * k + 1) > 0) byPeriod.set(name, { others: tallies.tally(2 * k), gold: tallies.tally(2 * k + 1) });
      });
      if (byPeriod.size === 0) return;
      const periods = [...byPeriod.keys()].sort();
      const points: DriftPoint[] = periods.map((period) => ({
        period,
        withOthers: periodFigure(byPeriod.get(period)!.others, opts.bootstrap),
        withGold: periodFigure(byPeriod.get(period)!.gold, opts.bootstrap),
      }));
      out.push({ coder, field: f.info.id, label: f.info.label, by: opts.driftBy, points });
    });
  }
  return out;
}
