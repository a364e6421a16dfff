import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { Core } from '../../electron/core/core.ts';
import { writeCompareSource } from './data.ts';
import { nowMs, percentile, round, type Benchmark } from './harness.ts';

/** Walking-skeleton figures: importing a 10k-task bundle, and opening the next task in the core. */
export const coreBenchmarks: Benchmark[] = [
  {
    title: 'bundle import (10k tasks) and next-task latency in the core',
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
      try {
        const { privateJwk, publicJwk } = generateKeyPair();
        const src = await writeCompareSource(join(dir, 'src'), 'bench.core', 10_000);
        await buildBundle({ sourceDir: src, key: privateJwk, outFile: join(dir, 'b.cbundle') });
        const core = await Core.open({ dataDir: join(dir, 'data'), host: 'web' });
        const t0 = nowMs();
        await core.importBundle(join(dir, 'b.cbundle'), { trusted: [{ jwk: publicJwk, label: 'bench', bundlePrefix: null }] });
        const importMs = nowMs() - t0;
        await core.call('identity.setup', { displayName: 'Bench', role: 'annotator' });
        const samples: number[] = [];
        let after: string | undefined;
        for (let i = 0; i < 300; i++) {
          const s = nowMs();
          const next = await core.call('tasks.next', { bundleId: 'bench.core', ...(after ? { afterTaskId: after } : {}) });
          if (!next.ok) throw new Error(next.error.message);
          const id = (next.result as { taskId: string }).taskId;
          const opened = await core.call('tasks.open', { bundleId: 'bench.core', taskId: id });
          if (!opened.ok) throw new Error(opened.error.message);
          samples.push(nowMs() - s);
          after = id;
        }
        await core.close();
        return [
          { name: 'bundle_import_10k_tasks_per_s', value: round(10_000 / (importMs / 1000), 0), unit: 'tasks/s' },
          { name: 'core_next_task_p95_ms', value: round(percentile(samples, 95), 3), unit: 'ms' },
        ];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
