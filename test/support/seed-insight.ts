/**
 * Seeds a reviewer's workstation data directory with the planted three-annotator work
 * (insight-work.ts) for the dashboard's Playwright test and UI bench.
 * Run as a script: `node --import tsx test/support/seed-insight.ts DATA_DIR`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedStore } from './planted-store.ts';

export async function seedInsight(dataDir: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'casebook-seed-insight-'));
  try {
    const { core } = await plantedStore(work, { compare: 90, trajectories: 15, dataDir });
    await core.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: seed-insight.ts DATA_DIR');
  await seedInsight(dir);
}
