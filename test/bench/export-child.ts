/**
 * Runs one measured step in its own process, so the peak RSS it reports is that step's alone:
 *   export OUT_DIR N   N synthetic compare tasks through selection, the dpo converter and the
 *                      export writer (JSONL, hashing, dataset card, signed manifest)
 *   plain OUT_FILE N   the same rows, converted before the clock starts, written as plain JSONL
 * Prints one JSON line: {"ms","rows","maxRssMb"}.
 */
import { createWriteStream } from 'node:fs';
import { convertUnit, ExportOptions, type ExportUnit } from '../../shared/export/index.ts';
import { exportDataset } from '../../shared/node/export/index.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { prose } from './data.ts';
import { nowMs } from './harness.ts';

const [mode, out, count] = process.argv.slice(2) as [string, string, string];
const n = Number(count);
const maxRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const hex12 = (i: number) => i.toString(16).padStart(12, '0');
const HASH_PREFIX = 'a'.repeat(52);
const uuid = (i: number, who: number) => `0000000${who}-0000-4000-8000-${hex12(i)}`;

// A pool of texts reused across tasks: making the input must cost next to nothing, or the figure
// would measure the generator, not the export.
const POOL = 997;
const contexts = Array.from({ length: POOL }, (_, i) => prose(i, 200));
const answers = Array.from({ length: POOL }, (_, i) => prose(i + 7, 600));

/** A compare task as the read model would give it: two annotators and an adjudication, batches of 500. */
function synthetic(i: number): ExportUnit {
  const taskHash = HASH_PREFIX + hex12(i);
  const seq = 1 + Math.floor(i / 500);
  const batch = (device: string) => ({ deviceId: device, seq, hash: HASH_PREFIX + hex12(seq) });
  const answer = { kind: 'compare' as const, preference: { choice: i % 3 === 0 ? 'r2' : 'r1', strength: 2 as const }, ranking: null, scores: {}, rationale: 'Safer dosing advice.' };
  const annotation = (who: number) => ({
    id: uuid(i, who),
    bundleId: 'bench.export',
    bundleVersion: 1,
    taskId: `t${i}`,
    taskHash,
    annotatorId: `0000000${who}-0000-4000-8000-000000000000`,
    annotatorName: `Annotator ${who}`,
    deviceId: `dev-${who}`,
    revision: 1,
    supersedes: null,
    status: 'submitted' as const,
    content: { answer, assumptions: [], escalations: [], highlights: [] },
    displayOrder: ['r1', 'r2'],
    activeMs: 40_000,
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt: '2026-05-01T10:01:00.000Z',
    submittedAt: '2026-05-01T10:01:00.000Z',
    batch: batch(`dev-${who}`),
  });
  const annotations = [annotation(1), annotation(2)];
  return {
    bundle: { id: 'bench.export', version: 1, license: 'cc-by-4.0', currentModel: { version: 'v2', earlier: ['v1'] } },
    task: {
      id: `t${i}`,
      kind: 'compare',
      context: [{ role: 'user', content: contexts[i % POOL]! }],
      responses: [
        { id: 'r1', content: answers[(i + 1) % POOL]!, modelVersion: 'v2' },
        { id: 'r2', content: answers[(i + 2) % POOL]!, modelVersion: i % 2 ? 'v1' : 'v2' },
      ],
    },
    taskHash,
    annotations,
    adjudication: { id: uuid(i, 9), reviewerId: '00000009-0000-4000-8000-000000000000', reviewerName: 'Reviewer', deviceId: 'dev-9', basedOn: annotations.map((a) => a.id), answer, batch: batch('dev-9') },
    agreement: 1,
    gold: false,
    escalations: { open: 0, resolved: 0 },
  };
}

function* units(): Generator<ExportUnit> {
  for (let i = 0; i < n; i++) yield synthetic(i);
}

if (mode === 'export') {
  const { privateJwk } = generateKeyPair();
  const t0 = nowMs();
  const c0 = process.cpuUsage();
  const r = await exportDataset(units(), { formats: ['dpo'], key: privateJwk }, out);
  const ms = nowMs() - t0;
  console.log(JSON.stringify({ ms, cpuMs: cpuMs(c0), rows: r.manifest.datasets[0]!.rows, maxRssMb: maxRssMb() }));
} else if (mode === 'plain') {
  // The floor: the same lines, already made, stringified and written with a plain stream.
  const options = ExportOptions.parse({});
  const rows: Record<string, unknown>[] = [];
  for (const u of units()) for (const r of convertUnit(u, 'dpo', options).converted.rows) rows.push(r.line);
  const t0 = nowMs();
  const c0 = process.cpuUsage();
  const file = createWriteStream(out, { flags: 'wx' });
  for (const row of rows) if (!file.write(JSON.stringify(row) + '\n')) await new Promise<void>((ok) => file.once('drain', () => ok()));
  await new Promise<void>((ok, fail) => file.end((e?: Error | null) => (e ? fail(e) : ok())));
  const ms = nowMs() - t0;
  console.log(JSON.stringify({ ms, cpuMs: cpuMs(c0), rows: rows.length, maxRssMb: maxRssMb() }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
