/**
 * Seeds a workstation data directory for the flagged-work screen test: a reviewer who submitted
 * work on a task, then a bundle update that changed that task (so the work is flagged).
 * Run as a script: `node --import tsx test/support/seed-flagged.ts DATA_DIR`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { addTrustedKey } from '../../electron/core/trust/trust-store.ts';
import { BUNDLE_ID, goodFiles, signedBy } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from './fixture-keys.ts';

export async function seedFlagged(dataDir: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'casebook-seed-'));
  const core = await Core.open({ dataDir, host: 'web' });
  const must = async (method: string, req: unknown) => {
    const r = await core.call(method, req);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  };
  try {
    addTrustedKey(core.ctx.db, { jwk: ORG_KEY.publicJwk, label: 'Test org', bundlePrefix: null }, new Date());
    await must('identity.setup', { displayName: 'Rita Reviewer', role: 'reviewer' });
    const v1 = join(work, 'v1.cbundle');
    writeFileSync(v1, signedBy(ORG_KEY.privateJwk, goodFiles(1), 1));
    await must('bundles.importFile', { path: v1 });
    await must('annotations.submit', {
      bundleId: BUNDLE_ID,
      taskId: 't-exemplar',
      content: { answer: { kind: 'exemplar', corrected: 'Twelve years for a deed.', draftScores: { accuracy: 4 }, note: '', errorTypes: [] } },
    });
    const tasks = goodFiles(2)['tasks.jsonl']!.toString('utf8').replace('Six years from breach.', 'Six years from the breach.');
    const v2 = join(work, 'v2.cbundle');
    writeFileSync(v2, signedBy(ORG_KEY.privateJwk, goodFiles(2, { tasks }), 2));
    await must('bundles.importFile', { path: v2 });
  } finally {
    await core.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: seed-flagged.ts DATA_DIR');
  await seedFlagged(dir);
}
