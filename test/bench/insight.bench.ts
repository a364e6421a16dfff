import { collectFacts, collectFactsAsync, insightFromFacts } from '../../shared/insight/index.ts';
import type { ExportUnit } from '../../shared/export/index.ts';
import { plantedUnits, rubricOf, taxonomyOf } from '../support/insight-work.ts';
import { round, type Benchmark } from './harness.ts';

/**
 * Every figure of the dashboard for 100k tasks × 3 annotators (80k comparisons with two
 * criteria per response, 20k six-step trajectories), from export units as the read models
 * stream them: facts, agreement per field and version, pairs, calibration, bias, leniency,
 * drift, Dawid–Skene, judges, failure modes, flags, with 500-replicate intervals.
 *
 * agreement_100k_s: the workstation's path (units from a synchronous iterator).
 * server_agreement_100k_s: the server's path (units from an async iterator of runs, as
 * iterateServerUnitRuns yields them: a run per 256 KiB chunk of a bundle's tasks inflated, here
 * 256 units, fewer than such a chunk holds, each made as it is read). Neither includes reading the store: the units are generated
 * in the same pass, and their generation is measured alone as the baseline to subtract — on a
 * loaded machine, compare each figure with its baseline from the same run. Each figure is the
 * median of five rounds (each subtracting its own round's baseline).
 */
const SIZE = { compare: 80_000, trajectories: 20_000 };
const ROUNDS = 5;

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function time<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = f();
  return { value, wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

async function timeAsync<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const value = await f();
  return { value, wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

type Timing = { wall: number; cpu: number };
const timing = ({ wall, cpu }: Timing): Timing => ({ wall, cpu });
/** A round's timings only: a round's facts are dropped with it, as no process holds three at once (and later rounds would pay the collector for them). */
interface Round {
  baseline: Timing;
  ws: Timing;
  facts: Timing;
  figures: Timing;
  srv: Timing;
}

const RUN = 256;

/** Runs made as they are read, as iterateServerUnitRuns makes them from each chunk of task lines. */
async function* asyncRuns(): AsyncGenerator<Iterable<ExportUnit>> {
  const units = plantedUnits(SIZE);
  let more = true;
  const run = function* (): Generator<ExportUnit> {
    for (let i = 0; i < RUN; i++) {
      const r = units.next();
      if (r.done) {
        more = false;
        return;
      }
      yield r.value;
    }
  };
  while (more) yield run();
}

export const insightBenchmarks: Benchmark[] = [
  {
    title: 'insight: every dashboard figure for 100k tasks × 3 annotators (workstation and server paths)',
    run: async () => {
      // Warm the JIT on a small run.
      insightFromFacts(collectFacts(plantedUnits({ compare: 2000, trajectories: 500 }), { rubricOf, taxonomyOf }));
      // Rounds, each with its own baseline; every figure is the median round (this machine's speed drifts by tens of percent).
      const rounds: Round[] = [];
      let flags = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const baseline = time(() => {
          let n = 0;
          for (const u of plantedUnits(SIZE)) n += u.annotations.length;
          return n;
        });
        const ws = time(() => insightFromFacts(collectFacts(plantedUnits(SIZE), { rubricOf, taxonomyOf })));
        const facts = time(() => collectFacts(plantedUnits(SIZE), { rubricOf, taxonomyOf }));
        const figures = time(() => insightFromFacts(facts.value));
        const srv = await timeAsync(async () => insightFromFacts(await collectFactsAsync(asyncRuns(), { rubricOf, taxonomyOf })));
        flags = ws.value.flags.length;
        rounds.push({ baseline: timing(baseline), ws: timing(ws), facts: timing(facts), figures: timing(figures), srv: timing(srv) });
      }
      const median = (f: (r: Round) => number) => round(rounds.map(f).sort((x, y) => x - y)[ROUNDS >> 1]! / 1000, 2);
      // A path's own time: each round's figure less that round's baseline.
      const wall = (k: 'ws' | 'facts' | 'srv') => median((r) => r[k].wall - r.baseline.wall);
      const cpu = (k: 'ws' | 'facts' | 'srv') => median((r) => r[k].cpu - r.baseline.cpu);
      return [
        { name: 'agreement_100k_s', value: wall('ws'), unit: `s (every figure, 100k tasks × 3 annotators, ${flags} flags; generating the units subtracted)` },
        { name: 'agreement_100k_cpu_s', value: cpu('ws'), unit: 's of CPU (the same, generation subtracted)' },
        { name: 'agreement_100k_figures_s', value: median((r) => r.figures.wall), unit: 's (figures from facts already read)' },
        { name: 'agreement_100k_figures_cpu_s', value: median((r) => r.figures.cpu), unit: 's of CPU (figures from facts already read)' },
        { name: 'agreement_100k_facts_s', value: wall('facts'), unit: 's (collecting the facts alone; generation subtracted)' },
        { name: 'agreement_100k_facts_cpu_s', value: cpu('facts'), unit: 's of CPU (the same)' },
        { name: 'agreement_100k_baseline_s', value: median((r) => r.baseline.wall), unit: 's (baseline: generating and walking the 100k units, nothing computed)' },
        { name: 'agreement_100k_baseline_cpu_s', value: median((r) => r.baseline.cpu), unit: 's of CPU (the baseline)' },
        { name: 'server_agreement_100k_s', value: wall('srv'), unit: 's (the same figures from an async stream of unit runs, as the server yields them; generation subtracted)' },
        { name: 'server_agreement_100k_cpu_s', value: cpu('srv'), unit: 's of CPU (the server path, generation subtracted)' },
      ];
    },
  },
];
