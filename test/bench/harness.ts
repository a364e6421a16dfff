/** A figure a benchmark reports: printed as `name: value unit`. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface Benchmark {
  /** Shown while it runs. */
  title: string;
  run: () => Promise<Figure[]>;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
