import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles the import benchmark's child, and the import reader thread beside it, the way the
 * product build does (one ES module per entry, packages left in node_modules). The figures
 * are then the shipped code's, not tsx's: under tsx the reader thread compiles TypeScript on
 * start and runs a loader thread of its own, which costs ~0.3 s and ~50 MB that no user pays.
 * Returns the child's path. The output sits under node_modules so the packages resolve.
 */
export async function buildImportChild(): Promise<string> {
  return buildChild('casebook-bench', {
    'import-child': 'test/bench/import-child.ts',
    // The core loads it as new URL('./import-reader.worker.js', import.meta.url).
    'import-reader.worker': 'electron/core/bundles/import-reader.worker.ts',
  });
}

/**
 * Bundles benchmark entry points into node_modules/.cache/<name>/ (so packages resolve) and
 * returns the path of the first one.
 */
export async function buildChild(name: string, entryPoints: Record<string, string>): Promise<string> {
  const outdir = join(ROOT, 'node_modules', '.cache', name);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return join(outdir, `${Object.keys(entryPoints)[0]!}.js`);
}

/** Runs a built child with arguments; its last stdout line is the JSON result. */
export function runChild<T>(built: string, ...args: string[]): T {
  const out = execFileSync(process.execPath, [built, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}
