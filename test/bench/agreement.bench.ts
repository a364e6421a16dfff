import {
  cohenKappa,
  dawidSkene,
  fleissKappa,
  gwetAC1,
  krippendorffAlpha,
  leniency,
  percentAgreement,
  positionBias,
  Random,
  tableFromRatings,
  type Rating,
} from '../../shared/agreement/index.ts';
import { nowMs, round, type Benchmark } from './harness.ts';

const UNITS = 100_000;
const CODERS = ['ana', 'ben', 'cy'];

/** 100k units, three coders, a five-point scale, each coder agreeing with a hidden truth 60–80% of the time. */
function likertUnits(seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: UNITS }, () => {
    const truth = 1 + rng.below(5);
    return [0.8, 0.7, 0.6].map((p) => (rng.uniform() < p ? truth : 1 + rng.below(5)));
  });
}

/** Median wall-clock time of `runs` calls, and the CPU time of that same call (the figure to
 * trust on a loaded machine, where wall time mostly measures waiting for a core). */
function medianMs(runs: number, f: () => unknown): number {
  return measure(runs, f).wall;
}

function measure(runs: number, f: () => unknown): { wall: number; cpu: number } {
  const times: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = nowMs();
    f();
    const c = process.cpuUsage(c0);
    times.push({ wall: nowMs() - t0, cpu: (c.user + c.system) / 1000 });
  }
  times.sort((a, b) => a.wall - b.wall);
  return times[Math.floor(runs / 2)]!;
}

/** The library on its own (no store): Krippendorff's alpha and its bootstrap for 100k units × 3 coders. */
export const agreementBenchmarks: Benchmark[] = [
  {
    title: 'agreement library: alpha and bootstrap over 100k units × 3 coders',
    run: async () => {
      const units = likertUnits(1);
      const bootstrap = { replicates: 1000, seed: 1 };
      // Warm the JIT on a smaller run first, so the figures are steady-state.
      krippendorffAlpha(units.slice(0, 5000), { level: 'ordinal', bootstrap });

      const alpha = measure(5, () => krippendorffAlpha(units, { level: 'ordinal', bootstrap: false }));
      const withBootstrap = measure(5, () => krippendorffAlpha(units, { level: 'ordinal', bootstrap }));

      // Baseline: the same bootstrap by redrawing 100k units one by one and recomputing,
      // 5 replicates scaled to 1000.
      const rng = new Random(2);
      const naive5 = medianMs(1, () => {
        for (let r = 0; r < 5; r++) krippendorffAlpha(Array.from({ length: UNITS }, () => units[rng.below(UNITS)]!), { level: 'ordinal', bootstrap: false });
      });

      // The worst case for pattern grouping: continuous scores, nearly every unit its own pattern.
      const cont = new Random(3);
      const continuous = Array.from({ length: UNITS }, () => {
        const t = cont.uniform() * 100;
        return [t + cont.uniform(), t + cont.uniform() * 2, t + cont.uniform() * 3];
      });
      const continuousMs = medianMs(1, () => krippendorffAlpha(continuous, { level: 'interval', bootstrap }));

      // A dashboard's worth of figures on the same data, each with a 1000-sample bootstrap.
      const ratings: Rating<number>[] = units.flatMap((u, i) => u.map((value, c) => ({ unit: `t${i}`, coder: CODERS[c]!, value })));
      const positions = new Random(4);
      const trials = Array.from({ length: UNITS }, () => ({ displayed: 2, chosenPosition: positions.below(2) }));
      const all = measure(3, () => {
        krippendorffAlpha(units, { level: 'ordinal', bootstrap });
        fleissKappa(units, { bootstrap });
        gwetAC1(units, { bootstrap });
        percentAgreement(units, { bootstrap });
        for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) cohenKappa(units.map((u): [number, number] => [u[a]!, u[b]!]), { weights: 'quadratic', bootstrap });
        for (let c = 0; c < CODERS.length; c++) positionBias(trials);
        // The per-coder figures share one coder × unit table built from the long-form ratings.
        const table = tableFromRatings(ratings);
        leniency(table, { bootstrap });
        dawidSkene(table);
      });

      return [
        { name: 'agreement_alpha_100k_ms', value: round(alpha.wall, 1), unit: 'ms (ordinal, 100k units × 3 coders, from plain values)' },
        { name: 'agreement_alpha_100k_cpu_ms', value: round(alpha.cpu, 1), unit: 'ms of CPU (the same call)' },
        { name: 'agreement_bootstrap_100k_ms', value: round(withBootstrap.wall, 1), unit: 'ms (the same alpha with a 1000-sample bootstrap)' },
        { name: 'agreement_bootstrap_100k_cpu_ms', value: round(withBootstrap.cpu, 1), unit: 'ms of CPU (the same call)' },
        { name: 'agreement_bootstrap_100k_naive_ms', value: round(naive5 * 200, 0), unit: 'ms (baseline: redrawing units one by one, 5 replicates × 200)' },
        { name: 'agreement_bootstrap_100k_continuous_ms', value: round(continuousMs, 1), unit: 'ms (interval alpha on continuous scores: ~every unit its own pattern)' },
        { name: 'agreement_library_figures_100k_ms', value: round(all.wall, 1), unit: 'ms (alpha, Fleiss, AC1, percent, 3 weighted kappas, 3 position-bias tests, leniency, Dawid–Skene)' },
        { name: 'agreement_library_figures_100k_cpu_ms', value: round(all.cpu, 1), unit: 'ms of CPU (the same figures)' },
      ];
    },
  },
];
