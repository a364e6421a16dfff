import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import type { Io } from '../../electron/cli/io.ts';
import { Core } from '../../electron/core/core.ts';
import { fingerprint } from '../../shared/node/keys.ts';
import { goodFiles, signedBy } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY } from '../support/fixture-keys.ts';

const quiet = (): Io & { stderr: string[] } => {
  const stderr: string[] = [];
  return { stderr, out: () => undefined, err: (l) => stderr.push(l) };
};

/** Imports a bundle with `--trust` and returns the signer label recorded for the installed version. */
async function importedLabel(keyFile: Record<string, unknown>, extra: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-label-'));
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'org.pub.jwk'), JSON.stringify(keyFile));
  writeFileSync(join(dir, 'b.cbundle'), signedBy(ORG_KEY.privateJwk, goodFiles(1), 1));
  expect(await run(['bundle', 'import', join(dir, 'b.cbundle'), '--data', data, '--trust', join(dir, 'org.pub.jwk'), ...extra], quiet())).toBe(0);
  const core = await Core.open({ dataDir: data, host: 'web' });
  try {
    return (core.ctx.db.prepare('SELECT signer_label FROM bundle_versions').get() as { signer_label: string }).signer_label;
  } finally {
    await core.close();
  }
}

describe('casebook bundle import --trust: the signer label', () => {
  it('is --label when given', async () => {
    expect(await importedLabel({ ...ORG_KEY.publicJwk, label: 'From the file' }, ['--label', 'Acme clinical 2026'])).toBe('Acme clinical 2026');
  });

  it("is the key file's label member otherwise", async () => {
    expect(await importedLabel({ ...ORG_KEY.publicJwk, label: 'From the file' }, [])).toBe('From the file');
  });

  it('falls back to the fingerprint, never the file path', async () => {
    const label = await importedLabel(ORG_KEY.publicJwk, []);
    expect(label).toBe(`key ${fingerprint(ORG_KEY.publicJwk)}`);
    expect(label).not.toMatch(/\.jwk|\//);
  });

  it('refuses --label without --trust (it would name nothing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-label-'));
    const io = quiet();
    expect(await run(['bundle', 'import', join(dir, 'b.cbundle'), '--data', join(dir, 'data'), '--label', 'x'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--label names the key given with --trust/);
  });
});
