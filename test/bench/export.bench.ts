import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildChild, runChild } from './build-child.ts';
import { round, type Benchmark } from './harness.ts';

const N = 100_000;

interface ChildResult {
  ms: number;
  /** CPU time of the measured step: on a shared, loaded machine the steadier figure. */
  cpuMs: number;
  rows: number;
  maxRssMb: number;
}

const child = (built: string, ...args: string[]) => runChild<ChildResult>(built, ...args);

/**
 * 100k synthetic compare tasks (two ~600-character responses, two annotators and an
 * adjudication each) exported as dpo JSONL — selection, conversion, row ids, the streamed
 * writer with its hash, the card and the signed manifest — against a plain JSONL write of the
 * same rows, each in a fresh process so peak RSS is its own. Memory must not grow with the
 * export: the same export of a tenth of the tasks gives the baseline.
 */
export const exportBenchmarks: Benchmark[] = [
  {
    title: `export (${N / 1000}k tasks to dpo JSONL) vs a plain JSONL write of the same rows`,
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-export-'));
      try {
        const built = await buildChild('casebook-bench-export', { 'export-child': 'test/bench/export-child.ts' });
        // Best of two fresh runs each, interleaved: the machine is shared.
        const runs = [0, 1].map((i) => ({
          full: child(built, 'export', join(dir, `export-${i}`), String(N)),
          plain: child(built, 'plain', join(dir, `plain-${i}.jsonl`), String(N)),
        }));
        const full = runs.map((r) => r.full).reduce((a, b) => (b.ms < a.ms ? b : a));
        const plain = runs.map((r) => r.plain).reduce((a, b) => (b.ms < a.ms ? b : a));
        if (full.rows !== N || plain.rows !== N) throw new Error(`expected ${N} rows, got ${full.rows} and ${plain.rows}`);
        const small = child(built, 'export', join(dir, 'export-small'), String(N / 10));
        return [
          { name: 'export_100k_records_s', value: round(full.ms / 1000, 3), unit: 's' },
          { name: 'export_plain_write_100k_s', value: round(plain.ms / 1000, 3), unit: 's' },
          { name: 'export_vs_plain_ratio', value: round(full.ms / plain.ms, 2), unit: 'x' },
          { name: 'export_100k_cpu_s', value: round(Math.min(...runs.map((r) => r.full.cpuMs)) / 1000, 3), unit: 's' },
          { name: 'export_plain_write_100k_cpu_s', value: round(Math.min(...runs.map((r) => r.plain.cpuMs)) / 1000, 3), unit: 's' },
          { name: 'export_peak_rss_mb', value: Math.max(...runs.map((r) => r.full.maxRssMb)), unit: 'MB' },
          { name: 'export_10k_peak_rss_mb', value: small.maxRssMb, unit: 'MB' },
        ];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
