import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrustedKeyView } from '../../shared/contract/index.ts';
import { keyId } from '../../shared/node/keys.ts';
import { signRotation } from '../../shared/node/rotation.ts';
import { run } from '../../electron/cli/main.ts';
import { envelopeFor, goodFiles, manifestOf, signedBy, TEST_NOW } from '../fixtures/hostile/corpus.ts';
import { ORG_KEY, ROTATED_ORG_KEY, STRANGER_KEY } from '../support/fixture-keys.ts';
import { storeDigest, workstation, type Workstation } from '../support/workstation.ts';

async function ok<T>(ws: Workstation, method: string, req: unknown): Promise<T> {
  const r = await ws.core.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}
async function fails(ws: Workstation, method: string, req: unknown): Promise<{ code: string; message: string }> {
  const r = await ws.core.call(method, req);
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  return r.error;
}

describe('trust store', () => {
  let ws: Workstation;
  let files: string;
  beforeEach(async () => {
    ws = await workstation({ now: TEST_NOW, role: 'admin' });
    files = mkdtempSync(join(tmpdir(), 'cb-trust-'));
  });
  afterEach(() => ws.dispose());

  const bundleSignedBy = (name: string, key: typeof ORG_KEY, version = 1) => {
    const path = join(files, name);
    writeFileSync(path, signedBy(key.privateJwk, goodFiles(version), version));
    return path;
  };

  it('adds, lists and removes keys with a fingerprint people can read aloud', async () => {
    const added = await ok<TrustedKeyView>(ws, 'trust.add', { jwk: ORG_KEY.publicJwk, label: 'Acme clinical org' });
    expect(added).toMatchObject({ keyId: keyId(ORG_KEY.publicJwk), label: 'Acme clinical org', bundlePrefix: null, endorsedBy: null });
    expect(added.fingerprint).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
    expect(await ok<TrustedKeyView[]>(ws, 'trust.list', {})).toEqual([added]);
    // Removal by the fingerprint as read aloud (any spacing, any case).
    await ok(ws, 'trust.remove', { key: added.fingerprint.replace(/ /g, '').toUpperCase() });
    expect(await ok<TrustedKeyView[]>(ws, 'trust.list', {})).toEqual([]);
    expect((await fails(ws, 'trust.remove', { key: added.keyId })).code).toBe('not_found');
  });

  it('imports only what a trusted key signed, and stops when the key is removed', async () => {
    await ok(ws, 'trust.add', { jwk: ORG_KEY.publicJwk, label: 'Org' });
    expect(await ok(ws, 'bundles.importFile', { path: bundleSignedBy('v1.cbundle', ORG_KEY) })).toMatchObject({ outcome: 'imported', version: 1 });
    await ok(ws, 'trust.remove', { key: keyId(ORG_KEY.publicJwk) });
    const e = await fails(ws, 'bundles.importFile', { path: bundleSignedBy('v2.cbundle', ORG_KEY, 2) });
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/no trusted keys are configured/);
  });

  it('a key limited to a bundle-id prefix cannot authorise other bundles', async () => {
    await ok(ws, 'trust.add', { jwk: ORG_KEY.publicJwk, label: 'Samples only', bundlePrefix: 'sample.' });
    const e = await fails(ws, 'bundles.importFile', { path: bundleSignedBy('v1.cbundle', ORG_KEY) });
    expect(e.message).toMatch(/trusted only for bundles whose id starts with "sample\."/);
  });

  describe('key rotation', () => {
    beforeEach(async () => {
      await ok(ws, 'trust.add', { jwk: ORG_KEY.publicJwk, label: 'Org 2026' });
      await ok(ws, 'bundles.importFile', { path: bundleSignedBy('v1.cbundle', ORG_KEY) });
    });

    it('a new key endorsed by the old one replaces it: new bundles verify, the old key is retired', async () => {
      const statement = JSON.stringify(signRotation(ORG_KEY.privateJwk, ROTATED_ORG_KEY.privateJwk, 'Org 2027', TEST_NOW));
      const now = await ok<TrustedKeyView>(ws, 'trust.rotate', { statement });
      expect(now).toMatchObject({ keyId: keyId(ROTATED_ORG_KEY.publicJwk), label: 'Org 2027', endorsedBy: keyId(ORG_KEY.publicJwk) });
      expect((await ok<TrustedKeyView[]>(ws, 'trust.list', {})).map((k) => k.label)).toEqual(['Org 2027']);
      expect(await ok(ws, 'bundles.importFile', { path: bundleSignedBy('v2.cbundle', ROTATED_ORG_KEY, 2) })).toMatchObject({ outcome: 'updated', version: 2 });
      const e = await fails(ws, 'bundles.importFile', { path: bundleSignedBy('v3-old-key.cbundle', ORG_KEY, 3) });
      expect(e.message).toMatch(/no signature verifies under a trusted key/);
    });

    it.each([
      ['signed by an untrusted key', () => signRotation(STRANGER_KEY.privateJwk, ROTATED_ORG_KEY.privateJwk, 'x', TEST_NOW), /no signature verifies under a trusted key/],
      [
        'signed by the old key only (the new key never agreed)',
        () => {
          const env = signRotation(ORG_KEY.privateJwk, ROTATED_ORG_KEY.privateJwk, 'x', TEST_NOW);
          return { ...env, signatures: env.signatures.slice(0, 1) };
        },
        /not signed by the new key/,
      ],
      [
        'a bundle manifest offered as a rotation statement',
        // Validly signed by the trusted key, but for another purpose: the payload type binds it.
        () => envelopeFor(manifestOf(goodFiles(1), 1), ORG_KEY.privateJwk),
        /unexpected payload type/,
      ],
    ])('is refused when %s, and nothing changes', async (_name, make, reason) => {
      const before = storeDigest(ws.core.ctx.db);
      const e = await fails(ws, 'trust.rotate', { statement: JSON.stringify(make()) });
      expect(e.code).toBe('refused');
      expect(e.message).toMatch(reason);
      expect(storeDigest(ws.core.ctx.db)).toEqual(before);
    });
  });
});

describe('casebook trust and keys rotate', () => {
  it('rotates a workstation from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-cli-trust-'));
    const data = join(dir, 'data');
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => undefined };
    writeFileSync(join(dir, 'old.jwk'), JSON.stringify(ORG_KEY.privateJwk));
    writeFileSync(join(dir, 'new.jwk'), JSON.stringify(ROTATED_ORG_KEY.privateJwk));
    writeFileSync(join(dir, 'old.pub.jwk'), JSON.stringify({ ...ORG_KEY.publicJwk, label: 'Org 2026' }));
    expect(await run(['trust', 'add', join(dir, 'old.pub.jwk'), '--data', data], io)).toBe(0);
    expect(await run(['keys', 'rotate', '--old', join(dir, 'old.jwk'), '--new', join(dir, 'new.jwk'), '--label', 'Org 2027', '--out', join(dir, 'rot.json')], io)).toBe(0);
    expect(await run(['trust', 'rotate', join(dir, 'rot.json'), '--data', data], io)).toBe(0);
    out.length = 0;
    expect(await run(['trust', 'list', '--data', data, '--json'], io)).toBe(0);
    const keys = JSON.parse(out.join('\n')) as TrustedKeyView[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ label: 'Org 2027', endorsedBy: keyId(ORG_KEY.publicJwk) });
    const errs: string[] = [];
    expect(await run(['trust', 'remove', 'ffff', '--data', data], { out: () => undefined, err: (l) => errs.push(l) })).toBe(1);
    expect(errs.join('\n')).toMatch(/no trusted key has the id or fingerprint "ffff"/);
  });
});
