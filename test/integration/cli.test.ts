import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../electron/cli/main.ts';
import type { Io } from '../../electron/cli/io.ts';
import { MINIMAL_SRC, tempDir } from '../helpers/workspace.ts';

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('casebook command', () => {
  it('makes keys, builds, verifies, imports and reports status', async () => {
    const t = tempDir();
    const k = io();
    expect(await run(['keys', 'new', '--out', join(t.dir, 'org.jwk')], k)).toBe(0);
    expect(statSync(join(t.dir, 'org.jwk')).mode & 0o777).toBe(0o600);
    const pub = JSON.parse(k.stdout[0]!);
    expect(pub).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String) });
    expect(readFileSync(join(t.dir, 'org.jwk'), 'utf8')).toContain('"d"');
    writeFileSync(join(t.dir, 'org.pub.jwk'), k.stdout[0]!);

    const b = io();
    expect(await run(['bundle', 'build', MINIMAL_SRC, '--key', join(t.dir, 'org.jwk'), '--out', join(t.dir, 'm.cbundle')], b)).toBe(0);
    expect(JSON.parse(b.stdout[0]!)).toMatchObject({ bundleId: 'test.minimal', tasks: 3 });

    const v = io();
    expect(await run(['bundle', 'verify', join(t.dir, 'm.cbundle'), '--trust', join(t.dir, 'org.pub.jwk')], v)).toBe(0);
    expect(JSON.parse(v.stdout[0]!)).toMatchObject({ ok: true, tasks: 3 });

    const i = io();
    expect(await run(['bundle', 'import', join(t.dir, 'm.cbundle'), '--data', join(t.dir, 'data'), '--trust', join(t.dir, 'org.pub.jwk')], i)).toBe(0);
    const s = io();
    expect(await run(['status', '--data', join(t.dir, 'data'), '--json'], s)).toBe(0);
    expect(JSON.parse(s.stdout.join('\n'))).toMatchObject({ bundles: [{ id: 'test.minimal', version: 1, tasks: 3, annotations: { submitted: 0 } }] });
    t.cleanup();
  });

  it('fails with a one-line reason naming the file, and a non-zero exit code', async () => {
    const t = tempDir();
    const e = io();
    expect(await run(['bundle', 'verify', join(t.dir, 'missing.cbundle'), '--trust', join(t.dir, 'nokey.jwk')], e)).toBe(1);
    expect(e.stderr.join('\n')).toMatch(/nokey\.jwk: cannot read the public key \(ENOENT\)/);
    writeFileSync(join(t.dir, 'bad.jwk'), '{"kty":"RSA"}');
    const e2 = io();
    expect(await run(['bundle', 'build', MINIMAL_SRC, '--key', join(t.dir, 'bad.jwk'), '--out', join(t.dir, 'x.cbundle')], e2)).toBe(1);
    expect(e2.stderr.join('\n')).toMatch(/bad\.jwk: not an Ed25519 private JWK/);
    const e3 = io();
    expect(await run(['keys', 'new', '--out', join(t.dir, 'bad.jwk')], e3)).toBe(1);
    expect(e3.stderr.join('\n')).toMatch(/already exists; refusing to overwrite/);
    const e4 = io();
    expect(await run(['frobnicate'], e4)).toBe(2);
    expect(await run(['status', '--data', t.dir], io())).toBe(1);
    t.cleanup();
  });
});
