import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { agreementBenchmarks } from './agreement.bench.ts';
import { cipherBenchmarks } from './cipher.bench.ts';
import { coreBenchmarks } from './core.bench.ts';
import { exportBenchmarks } from './export.bench.ts';
import { importBenchmarks } from './import.bench.ts';
import { reviewBenchmarks } from './review.bench.ts';
import { insightBenchmarks } from './insight.bench.ts';
import { syncBenchmarks } from './sync.bench.ts';
import type { Benchmark, Figure } from './harness.ts';

/**
 * `npm run bench [-- --json FILE] [-- --only SUBSTRING]`: runs every benchmark, prints each
 * figure as `name: value unit`, and optionally writes them all as {"name":{"value","unit"}}.
 * Each benchmark file exports a list; add yours here.
 */
// The UI benchmarks use browser types, so they belong to the e2e TypeScript project; loading them
// by a runtime path keeps the Node project (which must not see DOM types) from following them.
const ui = (await import(new URL('./ui/index.ts', import.meta.url).href)) as { uiBenchmarks: Benchmark[] };
const ALL: Benchmark[] = [...agreementBenchmarks, ...insightBenchmarks, ...coreBenchmarks, ...cipherBenchmarks, ...importBenchmarks, ...syncBenchmarks, ...exportBenchmarks, ...reviewBenchmarks, ...ui.uiBenchmarks];

const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' } } });
const figures: Figure[] = [];
for (const b of ALL.filter((x) => !values.only || x.title.includes(values.only))) {
  process.stderr.write(`# ${b.title}\n`);
  for (const f of await b.run()) {
    figures.push(f);
    console.log(`${f.name}: ${f.value} ${f.unit}`);
  }
}
if (values.json) {
  writeFileSync(values.json, JSON.stringify(Object.fromEntries(figures.map((f) => [f.name, { value: f.value, unit: f.unit }])), null, 2) + '\n');
}
