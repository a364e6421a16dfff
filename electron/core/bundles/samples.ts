import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabelledPublicJwk, toPublic } from '../../../shared/node/keys.ts';
import type { TrustedKey } from '../../../shared/node/bundle/index.ts';
import type { CoreContext } from '../context.ts';
import { addTrustedKey } from '../trust/trust-store.ts';
import { importBundle } from './import.ts';

export interface SampleSource {
  /** Public JWK of the sample signing key. */
  publicKeyFile: string;
  /** Folder of built sample .cbundle files. */
  bundlesDir: string;
}

export const SAMPLE_PREFIX = 'sample.';
const INSTALLED_FLAG = 'samples.installed';

/**
 * First start: trust the sample key for `sample.*` bundles only and import the sample
 * bundles, once. A user who later removes them does not get them back on the next start.
 * Samples are a convenience: one that cannot be installed (say a bundle with its id is already
 * there, in another version) is logged and skipped, and never stops the app from starting.
 */
export async function installSamplesOnce(ctx: CoreContext, source: SampleSource): Promise<string[]> {
  if (ctx.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(INSTALLED_FLAG)) return [];
  const key: TrustedKey = {
    jwk: toPublic(LabelledPublicJwk.parse(JSON.parse(await readFile(source.publicKeyFile, 'utf8')))),
    label: 'Casebook sample content (trusted for sample.* bundles only)',
    bundlePrefix: SAMPLE_PREFIX,
  };
  addTrustedKey(ctx.db, key, ctx.now());
  const files = (await readdir(source.bundlesDir)).filter((f) => f.endsWith('.cbundle')).sort();
  const imported: string[] = [];
  for (const f of files) {
    try {
      const r = await importBundle(ctx, join(source.bundlesDir, f), { trusted: [key], sample: true });
      imported.push(r.bundleId);
    } catch (e) {
      console.warn(`[core] sample bundle ${f} was not installed: ${(e as Error).message}`);
    }
  }
  ctx.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(INSTALLED_FLAG, ctx.now().toISOString());
  return imported;
}
