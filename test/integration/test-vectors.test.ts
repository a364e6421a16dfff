import { createHash, verify as edVerify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract/index.ts';
import { BATCH_PAYLOAD_TYPE, BundleSettings, ENROL_PAYLOAD_TYPE, MANIFEST_PAYLOAD_TYPE, RECEIPT_PAYLOAD_TYPE, type Role } from '../../shared/domain/index.ts';
import { SafeZip } from '../../shared/node/zip.ts';
import { BUNDLE_REFUSALS, BundleRefusal, ProblemsError, openBundle } from '../../shared/node/bundle/index.ts';
import { verifyEnvelope, type Envelope } from '../../shared/node/dsse.ts';
import { checkEnrolProof } from '../../shared/node/enrol-proof.ts';
import { sha256Hex } from '../../shared/node/hash.ts';
import { keyId, LabelledPrivateJwk, PublicJwk, publicKeyObject, toPublic } from '../../shared/node/keys.ts';
import { DEVICE_HEADER, SIGNATURE_HEADER, TIME_HEADER, requestSigningText, verifyRequest } from '../../shared/node/request-signature.ts';
import { EnrolRequest } from '../../shared/sync/wire.ts';
import { acceptBatchBytes } from '../../server/accept.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import { HAND_WRITTEN, VECTORS_DIR, vectorFiles } from '../../scripts/gen-test-vectors.ts';
import { schemaProblems } from '../support/schema-check.ts';
import { workstation } from '../support/workstation.ts';
import { receiveBatch, upsertKnownDevices } from '../../electron/core/sync/receive.ts';

/**
 * docs/test-vectors/ against the project's real verifiers: the files are exactly what the
 * generator writes, and each vector gives the result vectors.json states. An outside
 * implementation can run the same files and compare.
 */

interface BundleCase {
  name: string;
  file: string;
  trust: string;
  installFirst?: string;
  expect: { ok: true; bundleId: string; version: number; taskCount: number } | { ok: false; refusal: string };
}
type BatchExpect = { ok: true; seq: number; hash: string; duplicate?: boolean } | { ok: false; status: number; code: string; expectedSeq?: number };
interface Vectors {
  verifyAt: string;
  bundles: BundleCase[];
  batches: {
    device: { deviceId: string; publicKey: string; keyId: string; userId: string; displayName: string; role: Role };
    serverKey: string;
    cases: { name: string; send: string[]; expect: BatchExpect[] }[];
  };
  enrolment: {
    token: string;
    binding: { userId: string; displayName: string; role: Role };
    cases: { name: string; file: string; expect: { ok: true; deviceId: string; userId: string; displayName: string; role: Role } | { ok: false; status: number; code: string; field?: string } }[];
  };
  requests: {
    file: string;
    publicKey: string;
    cases: { name: string; pathAndQuery?: string; time?: string; signature?: 'base64url'; expect: string | null }[];
  };
}

const file = (p: string) => readFileSync(join(VECTORS_DIR, p));
const V = JSON.parse(file('vectors.json').toString('utf8')) as Vectors;
const NOW = new Date(V.verifyAt);
const publicKey = (p: string) => toPublic(PublicJwk.parse(JSON.parse(file(p).toString('utf8'))));
const tmp = mkdtempSync(join(tmpdir(), 'cb-vectors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function committed(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? committed(join(dir, n)) : [relative(VECTORS_DIR, join(dir, n))]));
}

/** The code an import refusal's message carries (`… [hash_mismatch]`). */
function codeIn(message: string): string[] {
  return [...new Set([...message.matchAll(/\[([a-z_]+)\]/g)].map((m) => m[1]!).filter((c) => (BUNDLE_REFUSALS as readonly string[]).includes(c)))];
}

describe('test vectors', () => {
  it('are exactly what scripts/gen-test-vectors.ts writes (run it after changing a format)', async () => {
    const files = await vectorFiles();
    expect(committed(VECTORS_DIR).sort()).toEqual([...files.keys(), ...HAND_WRITTEN].sort());
    for (const [path, data] of files) expect(file(path).equals(data), path).toBe(true);
  });

  describe('bundles', () => {
    it.each(V.bundles.filter((c) => !c.installFirst).map((c) => [c.name, c] as const))('%s: the reader (bundle verify) gives the expected result', async (_n, c) => {
      const trusted = [{ jwk: publicKey(c.trust), label: 'vector', bundlePrefix: null }];
      let result: { ok: true; bundleId: string; version: number; taskCount: number } | { ok: false; refusal: string };
      try {
        const b = await openBundle(join(VECTORS_DIR, c.file), trusted, { now: NOW });
        try {
          let n = 0;
          for await (const _ of b.tasks()) n++;
          result = { ok: true, bundleId: b.manifest.bundleId, version: b.manifest.version, taskCount: n };
        } finally {
          b.close();
        }
      } catch (e) {
        if (!(e instanceof BundleRefusal || e instanceof ProblemsError)) throw e;
        result = { ok: false, refusal: e.code };
      }
      expect(result).toEqual(c.expect);
    });

    it.each(V.bundles.map((c) => [c.name, c] as const))('%s: a workstation import gives the expected result, and a refusal changes nothing', async (_n, c) => {
      const ws = await workstation({ now: NOW, trust: [{ jwk: publicKey(c.trust), label: 'vector' }] });
      try {
        if (c.installFirst) await ws.core.importBundle(join(VECTORS_DIR, c.installFirst));
        const before = await ws.core.call('bundles.list', {});
        const outcome = await ws.core.importBundle(join(VECTORS_DIR, c.file)).then(
          (r) => ({ ok: true as const, bundleId: r.bundleId, version: r.version, taskCount: r.taskCount }),
          (e: unknown) => {
            if (!(e instanceof ApiError)) throw e;
            expect(e.message).toMatch(/nothing was (imported|changed)/);
            const codes = codeIn(e.message);
            expect(codes, e.message).toHaveLength(1);
            return { ok: false as const, refusal: codes[0]! };
          },
        );
        expect(outcome).toEqual(c.expect);
        if (!outcome.ok) expect(await ws.core.call('bundles.list', {})).toEqual(before);
      } finally {
        ws.dispose();
      }
    });

    it('the good bundle\'s signed manifest matches manifest.schema.json and names the signing key by its thumbprint', async () => {
      const b = await openBundle(join(VECTORS_DIR, 'bundle/good-v1.cbundle'), [{ jwk: publicKey('keys/org.public.jwk'), label: 'v', bundlePrefix: null }], { now: NOW });
      b.close();
      expect(schemaProblems('manifest', b.manifest)).toEqual([]);
      expect(b.signerKeyId).toBe(keyId(publicKey('keys/org.public.jwk')));
    });
  });

  it('the good bundle stores its files normalised as docs/formats.md says', async () => {
    const b = await openBundle(join(VECTORS_DIR, 'bundle/good-v1.cbundle'), [{ jwk: publicKey('keys/org.public.jwk'), label: 'v', bundlePrefix: null }], { now: NOW });
    try {
      const zip = await SafeZip.open(join(VECTORS_DIR, 'bundle/good-v1.cbundle'));
      const entry = async (name: string) => zip.read(name, 1024 * 1024);
      try {
        // Schema defaults filled, schema key order, two-space indent, one final newline; no expiresAt.
        const settings = (await entry('bundle.json')).toString('utf8');
        expect(settings).toBe(JSON.stringify(BundleSettings.parse(JSON.parse(settings)), null, 2) + '\n');
        const schemaOrder = Object.keys((JSON.parse(readFileSync(new URL('../../docs/schemas/bundle-settings.schema.json', import.meta.url), 'utf8')) as { properties: object }).properties);
        const keys = Object.keys(JSON.parse(settings) as object);
        expect(keys).toEqual(schemaOrder.filter((k) => keys.includes(k)));
        expect(JSON.parse(settings)).toMatchObject({ showModelNames: false, rationale: 'required' });
        expect(JSON.parse(settings)).not.toHaveProperty('expiresAt');
        // The default expiry lives in the manifest only: build time + 365 days.
        expect(Date.parse(b.manifest.expiresAt) - Date.parse(b.manifest.createdAt)).toBe(365 * 24 * 3600 * 1000);
        for (const name of ['rubric.json', 'taxonomy.json']) {
          const text = (await entry(name)).toString('utf8');
          expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n');
        }
        // Task lines compact, LF after each, none blank; taskHash is over the line without its LF.
        const tasks = (await entry('tasks.jsonl')).toString('utf8');
        expect(tasks.endsWith('\n')).toBe(true);
        const lines = tasks.slice(0, -1).split('\n');
        for (const l of lines) expect(l).toBe(JSON.stringify(JSON.parse(l)));
        const batch = JSON.parse(verifyEnvelope(file(`batch/${V.batches.device.deviceId}-00000001.cbatch`), BATCH_PAYLOAD_TYPE, [publicKey(V.batches.device.publicKey)]).payload.toString('utf8')) as { records: { record: { taskHash: string } }[] };
        expect(batch.records[0]!.record.taskHash).toBe(sha256Hex(Buffer.from(lines[0]!)));
        // The entry order the build writes.
        expect(zip.entries().map((e) => e.name)).toEqual(['manifest.dsse.json', 'bundle.json', 'guidelines.md', 'rubric.json', 'taxonomy.json', 'tasks.jsonl']);
      } finally {
        zip.close();
      }
    } finally {
      b.close();
    }
  });

  describe('batches', () => {
    const d = V.batches.device;
    const { label: _label, ...serverKey } = LabelledPrivateJwk.parse(JSON.parse(file(V.batches.serverKey).toString('utf8')));

    async function enrolledStorage(name: string): Promise<SqliteStorage> {
      const storage = new SqliteStorage(join(tmp, `${name}.sqlite`));
      await storage.migrate();
      const token = `cbenrol_batch_case_${name}_000000`;
      await storage.createEnrolToken(sha256Hex(token), { userId: d.userId, displayName: d.displayName, role: d.role }, 'vector', NOW.toISOString(), '2027-01-01T00:00:00.000Z');
      const pub = publicKey(d.publicKey);
      expect(keyId(pub)).toBe(d.keyId);
      expect(await storage.enrol(sha256Hex(token), { deviceId: d.deviceId, keyId: d.keyId, publicJwk: pub }, {}, NOW.toISOString())).toMatchObject({ kind: 'enrolled' });
      return storage;
    }

    it.each(V.batches.cases.map((c, i) => [c.name, c, i] as const))('%s: the server accepts or refuses as stated', async (_n, c, i) => {
      const storage = await enrolledStorage(`case${i}`);
      try {
        const results: BatchExpect[] = [];
        for (const f of c.send) {
          const bytes = file(f);
          const r = await acceptBatchBytes(storage, serverKey, bytes, () => NOW);
          if (r.ok) {
            const receipt = verifyEnvelope(r.receipt, RECEIPT_PAYLOAD_TYPE, [toPublic(serverKey)]);
            const body = JSON.parse(receipt.payload.toString('utf8')) as { seq: number; batchHash: string; deviceId: string };
            expect(body).toMatchObject({ deviceId: d.deviceId, seq: r.seq, batchHash: sha256Hex(bytes) });
            results.push({ ok: true, seq: r.seq, hash: body.batchHash, ...(r.duplicate ? { duplicate: true } : {}) });
          } else {
            results.push({ ok: false, status: r.status, code: r.code, ...(r.expectedSeq !== undefined ? { expectedSeq: r.expectedSeq } : {}) });
          }
        }
        expect(results).toEqual(c.expect);
      } finally {
        await storage.close();
      }
    });

    it.each(V.batches.cases.map((c) => [c.name, c] as const))("%s: a reviewer's workstation receiving the files agrees with the server", async (_n, c) => {
      const ws = await workstation({ now: NOW, role: 'reviewer' });
      try {
        // What pullReviews learns from the server, recorded directly.
        upsertKnownDevices(ws.core.ctx.db, [{ deviceId: d.deviceId, publicKey: publicKey(d.publicKey), userId: d.userId, displayName: d.displayName, role: d.role, revokedAt: null }], NOW.toISOString());
        const results = [];
        for (const f of c.send) results.push(await ws.core.exclusive(() => receiveBatch(ws.core.ctx.db, file(f), NOW.toISOString())));
        expect(results.map((r) => (r.ok ? { ok: true, seq: r.seq, duplicate: r.duplicate } : { ok: false, ...(r.expectedSeq !== undefined ? { expectedSeq: r.expectedSeq } : {}) }))).toEqual(
          c.expect.map((e) => (e.ok ? { ok: true, seq: e.seq, duplicate: e.duplicate ?? false } : { ok: false, ...(e.expectedSeq !== undefined ? { expectedSeq: e.expectedSeq } : {}) })),
        );
      } finally {
        ws.dispose();
      }
    });

    it('the chain verifies by hand with the device key alone, and its payloads match batch.schema.json (which refuses a draft)', () => {
      const pub = publicKey(d.publicKey);
      let prev = '0'.repeat(64);
      for (const n of [1, 2, 3]) {
        const bytes = file(`batch/${d.deviceId}-0000000${n}.cbatch`);
        const env = JSON.parse(bytes.toString('utf8')) as Envelope;
        expect(env.signatures[0]!.keyid).toBe(keyId(pub));
        const payload = verifyEnvelope(bytes, BATCH_PAYLOAD_TYPE, [pub]).payload;
        const batch = JSON.parse(payload.toString('utf8')) as { seq: number; prevHash: string };
        expect(schemaProblems('batch', batch)).toEqual([]);
        expect(batch).toMatchObject({ seq: n, prevHash: prev });
        prev = createHash('sha256').update(bytes).digest('hex');
      }
      const draft = verifyEnvelope(file('batch/negative/draft-00000004.cbatch'), BATCH_PAYLOAD_TYPE, [pub]).payload;
      expect(schemaProblems('batch', JSON.parse(draft.toString('utf8')))).not.toEqual([]);
    });
  });

  describe('enrolment proofs', () => {
    it.each(V.enrolment.cases.map((c, i) => [c.name, c, i] as const))('%s: the proof check and the enrolment rule answer as stated', async (_n, c, i) => {
      const body = EnrolRequest.parse(JSON.parse(file(c.file).toString('utf8')));
      expect(typeof body.proof).toBe('string');
      const proof = checkEnrolProof(body);
      if (!proof.ok) {
        expect({ ok: false, status: proof.status, code: proof.code, ...(proof.issues ? { field: proof.issues[0]!.path } : {}) }).toEqual(c.expect);
        if ('field' in c.expect) expect(proof.message).toContain(c.expect.field);
        return;
      }
      expect(schemaProblems('enrol-statement', JSON.parse(verifyEnvelope(body.proof, ENROL_PAYLOAD_TYPE, [body.publicKey]).payload.toString('utf8')))).toEqual([]);
      const storage = new SqliteStorage(join(tmp, `enrol${i}.sqlite`));
      await storage.migrate();
      try {
        await storage.createEnrolToken(sha256Hex(V.enrolment.token), V.enrolment.binding, 'vector', NOW.toISOString(), '2027-01-01T00:00:00.000Z');
        const { token, deviceId, ...claims } = proof.statement;
        const outcome = await storage.enrol(sha256Hex(token), { deviceId, keyId: keyId(body.publicKey), publicJwk: body.publicKey }, claims, NOW.toISOString());
        if (outcome.kind === 'enrolled') expect({ ok: true, deviceId, ...outcome.binding }).toEqual(c.expect);
        else expect({ ok: false, status: 403, code: outcome.kind }).toEqual(c.expect);
      } finally {
        await storage.close();
      }
    });
  });

  describe('signed requests', () => {
    const vector = JSON.parse(file(V.requests.file).toString('utf8')) as { method: string; pathAndQuery: string; headers: Record<string, string>; signedText: string };
    const pub = publicKey(V.requests.publicKey);

    it('the signed text is the documented one, and the signature is standard base64 over it', () => {
      const time = vector.headers[TIME_HEADER]!;
      expect(vector.headers[DEVICE_HEADER]).toBe(V.batches.device.deviceId);
      expect(vector.signedText).toBe(requestSigningText(vector.method, vector.pathAndQuery, time));
      expect(vector.signedText).toBe(`casebook-request/1\nGET\n/v1/device/bundles\n${V.verifyAt}`);
      const sig = vector.headers[SIGNATURE_HEADER]!;
      expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(edVerify(null, Buffer.from(vector.signedText, 'utf8'), publicKeyObject(pub), Buffer.from(sig, 'base64'))).toBe(true);
    });

    it.each(V.requests.cases.map((c) => [c.name, c] as const))('%s: the server\'s request check answers as stated', (_n, c) => {
      const sig = vector.headers[SIGNATURE_HEADER]!;
      const signature = c.signature === 'base64url' ? Buffer.from(sig, 'base64').toString('base64url') : sig;
      expect(verifyRequest(pub, vector.method, c.pathAndQuery ?? vector.pathAndQuery, c.time ?? vector.headers[TIME_HEADER]!, signature, NOW)).toBe(c.expect);
    });
  });

  it('the manifest, batch and enrolment envelopes use the documented payload types', () => {
    expect(JSON.parse(file('enrol/request.json').toString('utf8')).proof).toContain(ENROL_PAYLOAD_TYPE);
    expect(file(`batch/${V.batches.device.deviceId}-00000001.cbatch`).toString('utf8')).toContain(BATCH_PAYLOAD_TYPE);
    expect(MANIFEST_PAYLOAD_TYPE).toBe('application/vnd.casebook.manifest+json');
  });
});
