import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import type { SampleSource } from '../core/bundles/samples.ts';
import { readPrivateKey } from './keyfile.ts';

export const SAMPLES_DIR = fileURLToPath(new URL('../../resources/samples', import.meta.url));
export const SAMPLE_SOURCES = ['clinical', 'legal'] as const;

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
}

/**
 * Builds the sample bundles from their sources with the same code admins use, when a built
 * bundle is missing or older than its source. Returns where the app should find them.
 */
export async function ensureSampleBundles(samplesDir = SAMPLES_DIR, force = false): Promise<SampleSource> {
  const distDir = join(samplesDir, 'dist');
  const keyFile = join(samplesDir, 'sample-key.private.jwk');
  for (const name of SAMPLE_SOURCES) {
    const src = join(samplesDir, name);
    const out = join(distDir, `${name}.cbundle`);
    if (!force && existsSync(out) && statSync(out).mtimeMs >= newestMtime(src)) continue;
    await buildBundle({ sourceDir: src, key: await readPrivateKey(keyFile), outFile: out });
  }
  return { publicKeyFile: join(samplesDir, 'sample-key.public.jwk'), bundlesDir: distDir };
}
