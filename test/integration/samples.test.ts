import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { ensureSampleBundles, SAMPLES_DIR } from '../../electron/cli/sample-bundles.ts';
import { buildMinimal, call, orgKey, tempDir } from '../helpers/workspace.ts';

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

describe('installing samples never stops the app', () => {
  it('a bundle with a sample\'s id already installed (another version, another signer) is skipped, logged, and the app starts', async () => {
    const u = tempDir();
    try {
      const data = join(u.dir, 'data');
      // Someone installed their own sample.clinical-triage v9 before the first start.
      const own = orgKey('Our clinic');
      const src = join(u.dir, 'src');
      cpSync(join(SAMPLES_DIR, 'clinical'), src, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8')) as { version: number };
      writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...manifest, version: 9 }));
      const pre = await Core.open({ dataDir: data, host: 'web' });
      await pre.importBundle(await buildMinimal(u.dir, own, 'own.cbundle', src), { trusted: [own.trusted] });
      await pre.close();

      const warnings: string[] = [];
      const warn = vi.spyOn(console, 'warn').mockImplementation((m: string) => void warnings.push(m));
      try {
        const c = await Core.open({ dataDir: data, host: 'web', samples: await ensureSampleBundles() });
        const bundles = await call(c, 'bundles.list', {});
        expect(bundles.map((b) => `${b.id} v${b.version}`).sort()).toEqual(['sample.clinical-triage v9', 'sample.contract-review v1']);
        await c.close();
      } finally {
        warn.mockRestore();
      }
      expect(warnings).toEqual([expect.stringMatching(/sample bundle clinical\.cbundle was not installed: .*older than the installed version 9/)]);
    } finally {
      u.cleanup();
    }
  });
});
