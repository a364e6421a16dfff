import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BundleVersionView, TrustedKeyView } from '../../shared/contract/index.ts';
import { fingerprint, keyId } from '../../shared/node/keys.ts';
import { run } from '../../electron/cli/main.ts';
import type { Io } from '../../electron/cli/io.ts';
import { BUNDLE_ID, goodFiles, rotationStatement, signedBy, TEST_NOW, withRotation } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY, ROTATED_ORG_KEY, STRANGER_KEY } from '../support/fixture-keys.ts';
import { storeDigest, workstation, type Workstation } from '../support/workstation.ts';
import { MINIMAL_SRC } from '../helpers/workspace.ts';

/** A key rotation carried inside a bundle: one import moves a workstation from the old org key to the new one. */
describe('rotation statement inside a bundle', () => {
  let ws: Workstation;
  let files: string;
  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org 2026' }], role: 'admin' });
    files = mkdtempSync(join(tmpdir(), 'cb-rot-'));
  });
  afterEach(() => ws.dispose());

  const write = (name: string, bytes: Buffer) => {
    const path = join(files, name);
    writeFileSync(path, bytes);
    return path;
  };
  const rotated = (version: number, statement = rotationStatement()) => write(`v${version}.cbundle`, signedBy(ROTATED_ORG_KEY.privateJwk, withRotation(goodFiles(version), statement), version));
  const call = async <T>(method: string, req: unknown): Promise<T> => {
    const r = await ws.core.call(method, req);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    return r.result as T;
  };
  const refusal = async (method: string, req: unknown) => {
    const r = await ws.core.call(method, req);
    if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
    return r.error;
  };

  it('imports a bundle signed by the new key in one step, then trusts the new key in place of the old', async () => {
    expect(await call('bundles.importFile', { path: rotated(1) })).toMatchObject({ outcome: 'imported', version: 1 });
    const keys = await call<TrustedKeyView[]>('trust.list', {});
    expect(keys).toEqual([
      expect.objectContaining({
        keyId: keyId(ROTATED_ORG_KEY.publicJwk),
        label: 'Org 2027',
        endorsedBy: keyId(ORG_KEY.publicJwk),
        endorsedByFingerprint: fingerprint(ORG_KEY.publicJwk),
      }),
    ]);
    const versions = await call<BundleVersionView[]>('bundles.versions', { bundleId: BUNDLE_ID });
    expect(versions[0]!.signer).toEqual({ keyId: keyId(ROTATED_ORG_KEY.publicJwk), label: 'Org 2027' });
    // Later bundles from the new key need no statement; the old key is no longer trusted.
    expect(await call('bundles.importFile', { path: write('v2.cbundle', signedBy(ROTATED_ORG_KEY.privateJwk, goodFiles(2), 2)) })).toMatchObject({ outcome: 'updated' });
    const old = await refusal('bundles.importFile', { path: write('v3-old.cbundle', signedBy(ORG_KEY.privateJwk, goodFiles(3), 3)) });
    expect(old.message).toMatch(/no signature verifies under a trusted key/);
  });

  it('an annotator’s workstation takes the rotation too: the signatures, not the role, decide', async () => {
    const annotator = await workstation({ now: TEST_NOW, trust: [{ jwk: ORG_KEY.publicJwk, label: 'Org 2026' }], role: 'annotator' });
    try {
      expect(await annotator.core.call('bundles.importFile', { path: rotated(1) })).toMatchObject({ ok: true, result: { outcome: 'imported' } });
      expect(await annotator.core.call('trust.list', {})).toMatchObject({ ok: true, result: [{ label: 'Org 2027' }] });
    } finally {
      await annotator.dispose();
    }
  });

  it('the new key inherits the old key’s bundle-id scope', async () => {
    await call('trust.add', { jwk: ORG_KEY.publicJwk, label: 'Org 2026', bundlePrefix: 'hostile.' });
    await call('bundles.importFile', { path: rotated(1) });
    expect(await call<TrustedKeyView[]>('trust.list', {})).toMatchObject([{ label: 'Org 2027', bundlePrefix: 'hostile.' }]);
  });

  it('is refused when the old key was removed from this workstation, and nothing changes', async () => {
    await call('trust.add', { jwk: STRANGER_KEY.publicJwk, label: 'Someone else' });
    await call('trust.remove', { key: keyId(ORG_KEY.publicJwk) });
    const before = storeDigest(ws.core.ctx.db);
    const e = await refusal('bundles.importFile', { path: rotated(1) });
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/rotation\.dsse\.json: .*refused: no signature verifies under a trusted key.*nothing was imported/);
    expect(storeDigest(ws.core.ctx.db)).toEqual(before);
  });

  it('an old key retired by a rotation cannot endorse another successor', async () => {
    await call('bundles.importFile', { path: rotated(1) });
    const before = storeDigest(ws.core.ctx.db);
    const hijack = write('hijack.cbundle', signedBy(STRANGER_KEY.privateJwk, withRotation(goodFiles(2), rotationStatement(ORG_KEY.privateJwk, STRANGER_KEY.privateJwk, 'Stolen')), 2));
    const e = await refusal('bundles.importFile', { path: hijack });
    expect(e.message).toMatch(/rotation statement is refused: no signature verifies under a trusted key/);
    expect(storeDigest(ws.core.ctx.db)).toEqual(before);
  });

  it('a bundle that fails after the signature check leaves the old key trusted', async () => {
    await call('bundles.importFile', { path: write('v5.cbundle', signedBy(ORG_KEY.privateJwk, goodFiles(5), 5)) });
    const before = storeDigest(ws.core.ctx.db);
    // Validly rotated, but older than what is installed: the rotation must not apply on its own.
    const e = await refusal('bundles.importFile', { path: rotated(4) });
    expect(e.message).toMatch(/older than the installed version 5/);
    expect(storeDigest(ws.core.ctx.db)).toEqual(before);
  });
});

function io(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('casebook bundle build --rotation', () => {
  it('carries the statement, and a workstation trusting only the old key imports and rotates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-cli-rot-'));
    const data = join(dir, 'data');
    writeFileSync(join(dir, 'old.jwk'), JSON.stringify(ORG_KEY.privateJwk));
    writeFileSync(join(dir, 'new.jwk'), JSON.stringify(ROTATED_ORG_KEY.privateJwk));
    writeFileSync(join(dir, 'old.pub.jwk'), JSON.stringify({ ...ORG_KEY.publicJwk, label: 'Org 2026' }));
    expect(await run(['trust', 'add', join(dir, 'old.pub.jwk'), '--data', data], io())).toBe(0);
    const rot = join(dir, 'rot.json');
    expect(await run(['keys', 'rotate', '--old', join(dir, 'old.jwk'), '--new', join(dir, 'new.jwk'), '--label', 'Org 2027', '--out', rot], io())).toBe(0);

    const out = join(dir, 'm.cbundle');
    expect(await run(['bundle', 'build', MINIMAL_SRC, '--key', join(dir, 'new.jwk'), '--out', out, '--rotation', rot], io())).toBe(0);
    const inspect = io();
    expect(await run(['bundle', 'inspect', out, '--data', data], inspect)).toBe(0);
    expect(inspect.stdout.join('\n')).toMatch(/rotation\.dsse\.json/);

    expect(await run(['bundle', 'import', out, '--data', data], io())).toBe(0);
    const list = io();
    expect(await run(['trust', 'list', '--data', data, '--json'], list)).toBe(0);
    expect(JSON.parse(list.stdout.join('\n'))).toMatchObject([{ label: 'Org 2027', endorsedByFingerprint: fingerprint(ORG_KEY.publicJwk) }]);
  });

  it('refuses to build with a statement that introduces another key than --key, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-cli-rot-'));
    writeFileSync(join(dir, 'stranger.jwk'), JSON.stringify(STRANGER_KEY.privateJwk));
    writeFileSync(join(dir, 'rot.json'), rotationStatement());
    const b = io();
    const out = join(dir, 'm.cbundle');
    expect(await run(['bundle', 'build', MINIMAL_SRC, '--key', join(dir, 'stranger.jwk'), '--out', out, '--rotation', join(dir, 'rot.json')], b)).toBe(1);
    expect(b.stderr.join('\n')).toMatch(/rot\.json: the rotation statement introduces a different key than the one signing this bundle/);
  });

  it('a one-off --trust import with the old key verifies the chain but leaves the trust store alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-cli-rot-'));
    const data = join(dir, 'data');
    writeFileSync(join(dir, 'old.pub.jwk'), JSON.stringify(ORG_KEY.publicJwk));
    const file = join(dir, 'v1.cbundle');
    writeFileSync(file, signedBy(ROTATED_ORG_KEY.privateJwk, withRotation(goodFiles(1), rotationStatement()), 1));
    expect(await run(['bundle', 'import', file, '--data', data, '--trust', join(dir, 'old.pub.jwk')], io())).toBe(0);
    const list = io();
    expect(await run(['trust', 'list', '--data', data, '--json'], list)).toBe(0);
    expect(JSON.parse(list.stdout.join('\n'))).toEqual([]);
  });
});
