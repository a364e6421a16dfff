/**
 * `casebook server agreement` on everything a real server store holds (SQLite, and PostgreSQL
 * when CASEBOOK_TEST_PG_URL is set): three annotators' signed batches on the clinical sample,
 * one of them always preferring the response shown first. The figures are the shared library's
 * on the server's own units — the same JSON as computing them directly.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import { loadReceiptKey } from '../../server/server-key.ts';
import { openStorage } from '../../server/start.ts';
import type { SyncStorage } from '../../server/storage/types.ts';
import { iterateServerUnits } from '../../server/work/units.ts';
import type { ExportUnit } from '../../shared/export/index.ts';
import { computeInsight, type InsightReport } from '../../shared/insight/index.ts';
import { prefer } from '../support/export-units.ts';
import { annotationBy, asAnnotation, enrolDevice, publishSample, pushBatch, SAMPLE_PUBLIC_FILE, SAMPLE_TRUST } from '../support/server-work.ts';
import { BACKENDS, freshPgDatabase, tempDir } from './sync/helpers.ts';

const tmp = tempDir('cb-server-agreement-');
afterAll(() => tmp.cleanup());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const COMPARE = ['clin-001', 'clin-002', 'clin-003', 'clin-004', 'clin-005', 'clin-006'];

describe.each(BACKENDS)('casebook server agreement (%s)', (kind) => {
  let storage: SyncStorage;
  let dataDir: string;
  let dbArgs: string[];
  let dropPg: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    dataDir = join(tmp.dir, `server-${kind}`);
    let url: string | undefined;
    if (kind === 'postgres') {
      const fresh = await freshPgDatabase();
      url = fresh.url;
      dropPg = fresh.drop;
    }
    storage = await openStorage(dataDir, url);
    dbArgs = ['--data', dataDir, ...(url ? ['--database-url', url] : [])];
    const serverKey = await loadReceiptKey(storage, dataDir);
    const bundle = await publishSample(storage, dataDir, 'clinical');
    for (const name of ['Ana', 'Ben', 'Cy']) {
      const d = await enrolDevice(storage, name, 'annotator');
      const records = COMPARE.map((id, i) => {
        const task = bundle.tasks.get(id)!.task;
        if (task.kind !== 'compare') throw new Error(`${id} is not a compare task`);
        const ids = task.responses.map((r) => r.id);
        // Each sees the responses in a different order; Cy always takes the first shown, the others the task's first.
        const shown = i % 2 ? [...ids].reverse() : ids;
        const choice = name === 'Cy' ? shown[0]! : ids[0]!;
        // More than two responses need a ranking with the preferred one alone on top (shared/rules).
        const ranking = ids.length > 2 ? [[choice], ...ids.filter((r) => r !== choice).map((r) => [r])] : null;
        const a = annotationBy(d, bundle, id, prefer(choice, ranking));
        return asAnnotation({ ...a, displayOrder: shown });
      });
      await pushBatch(storage, serverKey, d, records);
    }
  });
  afterAll(async () => {
    await storage.close();
    await dropPg?.();
  });

  it('prints the figures of everything the server holds, the same as the library computes on its units', async () => {
    const r = await cli(['server', 'agreement', ...dbArgs, '--trust', SAMPLE_PUBLIC_FILE, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as InsightReport;
    expect(report.coders.map((c) => c.name)).toEqual(['Ana', 'Ben', 'Cy']);
    const cy = report.coders.find((c) => c.name === 'Cy')!.id;
    expect(report.positionBias.find((b) => b.coder === cy)).toMatchObject({ trials: 6, hits: 6 });
    const ana = report.coders.find((c) => c.name === 'Ana')!.id;
    expect(report.positionBias.find((b) => b.coder === ana)).toMatchObject({ trials: 6, hits: 3 });

    const units: ExportUnit[] = [];
    for await (const u of iterateServerUnits(storage, { trusted: [SAMPLE_TRUST] })) units.push(u);
    expect(report).toEqual(JSON.parse(JSON.stringify(computeInsight(units))));
  });

  it('needs the org key the bundles were signed with, and says so', async () => {
    const r = await cli(['server', 'agreement', ...dbArgs]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--trust is required/);
  });
});
