import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_REFUSALS, BundleRefusal, ProblemsError, openBundle } from '../../shared/node/bundle/index.ts';
import { verifyBatchBytes, type KnownDevice } from '../../shared/node/batch-verify.ts';
import { SyncErrorCode } from '../../shared/sync/wire.ts';
import { GENESIS_HASH } from '../../shared/domain/index.ts';
import { keyId } from '../../shared/node/keys.ts';
import { TEST_NOW, envelopeFor, goodFiles, manifestOf, signedZip } from '../fixtures/hostile/corpus.ts';
import { rawZip } from '../support/raw-zip.ts';
import { MANIFEST_ENTRY } from '../../shared/node/bundle/layout.ts';
import { run } from '../../electron/cli/main.ts';
import { ORG_KEY, fixtureKey } from '../support/fixture-keys.ts';
import { fakeAnnotation, signedBatch } from './sync/helpers.ts';

/**
 * Every single-byte change and every truncation of a small bundle and a small batch file: the
 * readers answer with a refusal that carries a documented code, or (for zip metadata no
 * signature covers, such as timestamps) accept exactly the signed content. Never an
 * unexpected error, never different content.
 */
const dir = mkdtempSync(join(tmpdir(), 'cb-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRUSTED = [{ jwk: ORG_KEY.publicJwk, label: 'Test org', bundlePrefix: null }];
const BUNDLE = signedZip(goodFiles(1), 1);

type Outcome = { ok: true; content: string } | { ok: false; code: string };

/** What `bundle verify` does: open (signature, manifest, small files), then stream every task. */
async function readBundle(bytes: Buffer, name: string): Promise<Outcome> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  try {
    const b = await openBundle(file, TRUSTED, { now: TEST_NOW });
    try {
      const tasks: string[] = [];
      for await (const t of b.tasks()) tasks.push(t.json);
      return { ok: true, content: JSON.stringify([b.manifestSha256, b.settings, b.guidelines, b.rubric, b.taxonomy, tasks]) };
    } finally {
      b.close();
    }
  } catch (e) {
    if (e instanceof BundleRefusal || e instanceof ProblemsError) return { ok: false, code: e.code };
    throw e;
  }
}

function mutants(original: Buffer): { label: string; bytes: Buffer }[] {
  const out: { label: string; bytes: Buffer }[] = [];
  for (let i = 0; i < original.length; i++) {
    const flipped = Buffer.from(original);
    flipped[i] = flipped[i]! ^ 0x01;
    out.push({ label: `bit 0 of byte ${i} flipped`, bytes: flipped });
  }
  for (let n = 0; n < original.length; n++) out.push({ label: `truncated to ${n} bytes`, bytes: original.subarray(0, n) });
  return out;
}

describe('reader fuzz', () => {
  it('every byte flip and truncation of a small bundle is a coded refusal or the exact signed content', async () => {
    const good = await readBundle(BUNDLE, 'good.cbundle');
    expect(good.ok).toBe(true);
    const codes = new Map<string, number>();
    let accepted = 0;
    for (const [i, m] of mutants(BUNDLE).entries()) {
      const r = await readBundle(m.bytes, `m${i % 8}.cbundle`);
      if (r.ok) {
        // Only bytes no signature covers (zip timestamps, attributes, CRC fields yauzl ignores) may pass.
        expect(r, m.label).toEqual(good);
        accepted++;
      } else {
        expect(BUNDLE_REFUSALS, `${m.label}: ${r.code}`).toContain(r.code);
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      }
    }
    // Sanity: the fuzz reaches the zip layer, the signature and the hashes, not one code only.
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['not_a_zip', 'zip_corrupt', 'hash_mismatch']));
    expect(accepted).toBeLessThan(BUNDLE.length / 4);
  }, 120_000);

  it('every byte flip and truncation of a small batch is refused with a code', async () => {
    const key = fixtureKey('fuzz-device');
    const who = { userId: '5f0c6a58-7f1e-4a7e-9f57-3a1e4b8e2c10', displayName: 'Dr Fuzz', deviceId: 'dev-fuzz' };
    const device: KnownDevice = { deviceId: who.deviceId, keyId: keyId(key.publicJwk), publicJwk: key.publicJwk, userId: who.userId, role: 'annotator', revokedAt: null };
    const batch = signedBatch(key.privateJwk, who.deviceId, 1, GENESIS_HASH, [{ type: 'annotation', record: fakeAnnotation(who, 1) }]);
    const find = (kid: string) => (kid === device.keyId ? device : null);
    expect((await verifyBatchBytes(batch, find)).ok).toBe(true);
    for (const m of mutants(batch)) {
      const r = await verifyBatchBytes(m.bytes, find);
      expect(r.ok, m.label).toBe(false);
      if (!r.ok) expect(SyncErrorCode.options, m.label).toContain(r.code);
    }
  }, 60_000);
});

describe('a damaged signed manifest (the crash of issue 16)', () => {
  const io = () => {
    const err: string[] = [];
    return { err, io: { out: () => undefined, err: (l: string) => err.push(l) } };
  };
  const pub = join(dir, 'org.pub.jwk');
  writeFileSync(pub, JSON.stringify(ORG_KEY.publicJwk));
  const good = goodFiles(1);
  const manifestEntry = (data: Buffer): Buffer => {
    const files = Object.entries(good).map(([name, d]) => ({ name, data: d }));
    return rawZip([{ name: MANIFEST_ENTRY, data }, ...files]);
  };
  const validEnvelope = Buffer.from(JSON.stringify(envelopeFor(manifestOf(good, 1))));
  // The manifest is the first entry: its compressed data starts after the 30-byte local header and its name.
  const flipped = Buffer.from(manifestEntry(validEnvelope));
  flipped[30 + MANIFEST_ENTRY.length] = flipped[30 + MANIFEST_ENTRY.length]! ^ 0x01;
  const oversized = manifestEntry(Buffer.concat([validEnvelope, Buffer.alloc(1024 * 1024, 0x20)]));

  it.each([
    ['bit 0 of its first compressed byte flipped', flipped, /refused: .*manifest\.dsse\.json.* \[(zip_corrupt|entry_too_large)\]/],
    ['an entry over 1 MiB', oversized, /refused: entry "manifest\.dsse\.json" declares \d+ bytes, more than the 1048576 allowed(; nothing was imported)? \[entry_too_large\]/],
  ] as const)('%s: verify, inspect and import refuse it cleanly, and nothing is imported', async (_what, bytes, reason) => {
    const file = join(dir, 'damaged.cbundle');
    writeFileSync(file, bytes);
    for (const args of [
      ['bundle', 'verify', file, '--trust', pub],
      ['bundle', 'inspect', file, '--trust', pub],
      ['bundle', 'import', file, '--data', join(dir, 'ws'), '--trust', pub],
    ]) {
      const o = io();
      expect(await run(args, o.io), args.join(' ')).toBe(1);
      const text = o.err.join('\n');
      expect(text, args.join(' ')).not.toMatch(/unexpected error|\n {4}at /);
      expect(text, args.join(' ')).toMatch(reason);
      if (args[1] === 'import') expect(text).toMatch(/nothing was imported/);
    }
    const s = io();
    const out: string[] = [];
    expect(await run(['status', '--data', join(dir, 'ws'), '--json'], { out: (l) => out.push(l), err: s.io.err })).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ bundles: [] });
  }, 60_000);
});
