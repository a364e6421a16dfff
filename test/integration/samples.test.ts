import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { ensureSampleBundles } from '../../electron/cli/sample-bundles.ts';
import { call, tempDir } from '../helpers/workspace.ts';

let t: ReturnType<typeof tempDir>;
let core: Core;

beforeAll(async () => {
  t = tempDir();
  const samples = await ensureSampleBundles();
  core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web', samples });
  await call(core, 'identity.setup', { displayName: 'Dr Test', role: 'annotator' });
});
afterAll(async () => {
  await core.close();
  t.cleanup();
});

describe('sample bundles on first start', () => {
  it('installs the clinical and legal samples, signed by the sample key, with every task kind', async () => {
    const bundles = await call(core, 'bundles.list', {});
    expect(bundles.map((b) => b.id).sort()).toEqual(['sample.clinical-triage', 'sample.contract-review']);
    for (const b of bundles) {
      expect(b.sample).toBe(true);
      expect(b.taskCount).toBeGreaterThanOrEqual(12);
      expect(b.kinds.compare).toBeGreaterThan(0);
      expect(b.kinds.exemplar).toBeGreaterThan(0);
      expect(b.kinds.trajectory).toBeGreaterThan(0);
      expect(b.signer.label).toMatch(/sample/i);
    }
  });

  it('opens every sample task, blinded, with compare tasks of 2 and of 3+ responses', async () => {
    const sizes = new Set<number>();
    for (const b of await call(core, 'bundles.list', {})) {
      const q = await call(core, 'queue.list', { bundleId: b.id, limit: 500 });
      for (const item of q.items) {
        const view = await call(core, 'tasks.open', { bundleId: b.id, taskId: item.taskId });
        expect(JSON.stringify(view.task)).not.toMatch(/"(gold|model)"/);
        if (view.task.kind === 'compare') sizes.add(view.task.responses.length > 2 ? 3 : 2);
      }
    }
    expect([...sizes].sort()).toEqual([2, 3]);
  });

  it('does not reinstall samples a user has on the next start, and trusts the sample key for sample.* only', async () => {
    const keys = core.ctx.db.prepare('SELECT bundle_prefix FROM trusted_keys').all();
    expect(keys).toEqual([{ bundle_prefix: 'sample.' }]);
  });
});
