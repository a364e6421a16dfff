import type { Benchmark } from '../harness.ts';
import { uiCompareBenchmarks } from './compare.bench.ts';
import { uiDashboardBenchmarks } from './dashboard.bench.ts';
import { uiTrajectoryBenchmarks } from './trajectory.bench.ts';

/** Benchmarks that drive the real UI in Chromium; typechecked with the e2e project (DOM types). */
export const uiBenchmarks: Benchmark[] = [...uiCompareBenchmarks, ...uiTrajectoryBenchmarks, ...uiDashboardBenchmarks];
