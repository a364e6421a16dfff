/**
 * Seeds a workstation data directory with the planted three-annotator work (insight-work.ts)
 * for the dashboard's and the export screen's Playwright tests.
 * Run as a script: `node --import tsx test/support/seed-insight.ts DATA_DIR [--upgraded-model] [--admin NAME]`:
 * `--upgraded-model` declares UPGRADED_MODEL as the bundle's current model (the version-1 compare
 * tasks are then on an older model); `--admin NAME` makes the workstation an admin's, not a reviewer's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UPGRADED_MODEL } from './insight-work.ts';
import { plantedStore, type PlantedStoreOptions } from './planted-store.ts';

export async function seedInsight(dataDir: string, opts: Pick<PlantedStoreOptions, 'currentModel' | 'identity'> = {}): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'casebook-seed-insight-'));
  try {
    const { core } = await plantedStore(work, { compare: 90, trajectories: 15, dataDir, ...opts });
    await core.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'upgraded-model': { type: 'boolean' }, admin: { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: seed-insight.ts DATA_DIR [--upgraded-model] [--admin NAME]');
  await seedInsight(dir, {
    ...(values['upgraded-model'] ? { currentModel: UPGRADED_MODEL } : {}),
    ...(values.admin ? { identity: { displayName: values.admin, role: 'admin' } } : {}),
  });
}
