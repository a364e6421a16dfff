// Writes docs/test-vectors/: small, signed examples of every format with their keys and the
// result the project's verifiers give, positive and negative. Deterministic (keys from fixed
// seeds, fixed clocks, Ed25519 signatures are deterministic), so the committed output is
// exactly what this script writes; test/integration/test-vectors.test.ts checks both that and
// every expected result against the real verifiers.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { BATCH_FORMAT, BATCH_PAYLOAD_TYPE, ENROL_PAYLOAD_TYPE, GENESIS_HASH, MANIFEST_PAYLOAD_TYPE, type BatchRecord, type EnrolStatement, type SubmittedAnnotation } from '../shared/domain/index.ts';
import { buildBundle } from '../shared/node/bundle/build.ts';
import { MANIFEST_ENTRY } from '../shared/node/bundle/layout.ts';
import { SafeZip } from '../shared/node/zip.ts';
import { signEnvelope, type Envelope } from '../shared/node/dsse.ts';
import { keyId, type PrivateJwk, type PublicJwk } from '../shared/node/keys.ts';
import { requestSigningText, signRequest } from '../shared/node/request-signature.ts';
import { deviceIdFor } from '../electron/core/identity/identity.ts';
import { fixtureKey } from '../test/support/fixture-keys.ts';

/**
 * Files in the folder this script does not write: `check.py`, an outside check in Python written
 * from the docs alone (not run by the test suite, which has no Python).
 */
export const HAND_WRITTEN: readonly string[] = ['check.py'];

export const VECTORS_DIR = fileURLToPath(new URL('../docs/test-vectors/', import.meta.url));
const MINIMAL = fileURLToPath(new URL('../test/fixtures/bundle-src/minimal/', import.meta.url));

/** When the bundles were built, and the clock every vector is verified at. */
export const BUILT_AT = new Date('2026-01-01T00:00:00.000Z');
export const VERIFY_AT = '2026-06-01T00:00:00.000Z';

const KEYS = {
  org: fixtureKey('vector org'),
  stranger: fixtureKey('vector stranger'),
  device: fixtureKey('vector device'),
  server: fixtureKey('vector server'),
};
const DEVICE_ID = deviceIdFor(KEYS.device.publicJwk);
const USER = { userId: '6a2f1c3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b', displayName: 'Dr Vector', role: 'annotator' as const };
const TOKEN = 'cbenrol_test_vector_token_0000000000000001';

/** One file of the vector set: its path under docs/test-vectors/ and its bytes. */
type Files = Map<string, Buffer>;

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + '\n');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function zipOf(entries: [string, Buffer][], compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: BUILT_AT, mode: 0o100644, compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function entriesOf(bundle: Buffer): Promise<[string, Buffer][]> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-vec-'));
  try {
    writeFileSync(join(dir, 'b.cbundle'), bundle);
    const zip = await SafeZip.open(join(dir, 'b.cbundle'));
    try {
      const out: [string, Buffer][] = [];
      for (const e of zip.entries()) out.push([e.name, await zip.read(e.name, e.uncompressedSize)]);
      return out;
    } finally {
      zip.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function built(version: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-vec-'));
  try {
    const src = join(dir, 'src');
    mkdirSync(src);
    for (const f of ['guidelines.md', 'rubric.json', 'taxonomy.json', 'tasks.jsonl']) copyFileSync(join(MINIMAL, f), join(src, f));
    const settings = JSON.parse(readFileSync(join(MINIMAL, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, id: 'vector.minimal', version, title: 'Test vector bundle' }, null, 2));
    await buildBundle({ sourceDir: src, tasks: { from: 'folder' }, key: KEYS.org.privateJwk, outFile: join(dir, 'out.cbundle'), now: BUILT_AT });
    return readFileSync(join(dir, 'out.cbundle'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bundle's entries with one replaced and the manifest signed again (a signed, hash-correct bundle). */
async function resigned(bundle: Buffer, name: string, data: Buffer, taskCount?: number): Promise<Buffer> {
  const entries = await entriesOf(bundle);
  const env = JSON.parse(entries.find(([n]) => n === MANIFEST_ENTRY)![1].toString('utf8')) as Envelope;
  const manifest = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { taskCount: number; files: { path: string; size: number; sha256: string }[] };
  const files = manifest.files.map((f) => (f.path === name ? { ...f, size: data.length, sha256: sha256(data) } : f));
  const payload = Buffer.from(JSON.stringify({ ...manifest, files, ...(taskCount !== undefined ? { taskCount } : {}) }));
  const signed = json(signEnvelope(MANIFEST_PAYLOAD_TYPE, payload, KEYS.org.privateJwk));
  return zipOf(entries.map(([n, d]) => [n, n === MANIFEST_ENTRY ? signed : n === name ? data : d]));
}

async function withEntry(bundle: Buffer, name: string, edit: (d: Buffer) => Buffer): Promise<Buffer> {
  return zipOf((await entriesOf(bundle)).map(([n, d]) => [n, n === name ? edit(Buffer.from(d)) : d]));
}

function annotation(n: number, taskHash: string): SubmittedAnnotation {
  const at = `2026-02-0${n}T09:00:00.000Z`;
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    bundleId: 'vector.minimal',
    bundleVersion: 1,
    taskId: 't-compare',
    taskHash,
    annotatorId: USER.userId,
    annotatorName: USER.displayName,
    deviceId: DEVICE_ID,
    revision: n,
    supersedes: n === 1 ? null : `00000000-0000-4000-8000-00000000000${n - 1}`,
    status: 'submitted',
    content: {
      answer: { kind: 'compare', preference: { choice: 'r2', strength: 2 }, ranking: null, scores: { r1: { accuracy: 2 }, r2: { accuracy: 5 } }, rationale: `Revision ${n}: response two gives the weight-based dose.` },
      assumptions: [],
      escalations: [],
      highlights: [],
    },
    displayOrder: ['r2', 'r1'],
    activeMs: 30_000 * n,
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
  };
}

function batch(key: PrivateJwk, seq: number, prevHash: string, records: unknown[], deviceId = DEVICE_ID): Buffer {
  const payload = { format: BATCH_FORMAT, deviceId, seq, prevHash, createdAt: `2026-02-0${Math.min(seq, 9)}T10:00:00.000Z`, records };
  return Buffer.from(JSON.stringify(signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from(JSON.stringify(payload)), key)));
}

const withoutKeyid = (bytes: Buffer): Buffer => {
  const env = JSON.parse(bytes.toString('utf8')) as Envelope;
  return Buffer.from(JSON.stringify({ ...env, signatures: env.signatures.map(({ sig }) => ({ sig })) }));
};

function enrolBody(statement: EnrolStatement | Record<string, unknown>, signer: PrivateJwk = KEYS.device.privateJwk, publicKey: PublicJwk = KEYS.device.publicJwk): Buffer {
  const proof = JSON.stringify(signEnvelope(ENROL_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), signer));
  return json({ publicKey, proof });
}

export async function vectorFiles(): Promise<Files> {
  const files: Files = new Map();
  const put = (path: string, data: Buffer) => files.set(path, data);

  for (const [name, k] of Object.entries(KEYS)) {
    put(`keys/${name}.private.jwk`, json({ ...k.privateJwk, label: `TEST VECTOR KEY "${name}": public, never use it for anything real` }));
    put(`keys/${name}.public.jwk`, json(k.publicJwk));
  }

  // Bundles.
  const v1 = await built(1);
  const v2 = await built(2);
  put('bundle/good-v1.cbundle', v1);
  put('bundle/good-v2.cbundle', v2);
  const entries = await entriesOf(v1);
  const tasks = entries.find(([n]) => n === 'tasks.jsonl')![1];
  put('bundle/reordered-stored.cbundle', await zipOf([...entries].reverse(), false));
  put('bundle/tasks-byte-changed.cbundle', await withEntry(v1, 'tasks.jsonl', (d) => {
    const at = d.indexOf('4 g per day.');
    d[at] = '8'.charCodeAt(0);
    return d;
  }));
  put('bundle/signature-byte-flipped.cbundle', await withEntry(v1, MANIFEST_ENTRY, (d) => {
    const env = JSON.parse(d.toString('utf8')) as Envelope;
    const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
    sig[0] = sig[0]! ^ 0x01;
    return json({ ...env, signatures: [{ ...env.signatures[0]!, sig: sig.toString('base64') }] });
  }));
  put('bundle/keyid-missing.cbundle', await withEntry(v1, MANIFEST_ENTRY, (d) => json(JSON.parse(withoutKeyid(d).toString('utf8')))));
  const lines = tasks.toString('utf8').trimEnd().split('\n');
  const dupLine = lines[1]!.replace('"id":"t-exemplar"', '"id":"t-compare"');
  put('bundle/duplicate-task-ids.cbundle', await resigned(v1, 'tasks.jsonl', Buffer.from([lines[0], dupLine, lines[2]].join('\n') + '\n')));

  // A device's batch chain of three, then the hostile variants.
  const compareHash = sha256(Buffer.from(lines[0]!));
  const rec = (n: number): BatchRecord => ({ type: 'annotation', record: annotation(n, compareHash) });
  const b1 = batch(KEYS.device.privateJwk, 1, GENESIS_HASH, [rec(1)]);
  const b2 = batch(KEYS.device.privateJwk, 2, sha256(b1), [rec(2)]);
  const b3 = batch(KEYS.device.privateJwk, 3, sha256(b2), [rec(3)]);
  put(`batch/${DEVICE_ID}-00000001.cbatch`, b1);
  put(`batch/${DEVICE_ID}-00000002.cbatch`, b2);
  put(`batch/${DEVICE_ID}-00000003.cbatch`, b3);
  const flipped = Buffer.from(b2);
  const at = flipped.indexOf('"sig":"') + 7;
  flipped[at] = flipped[at] === 0x41 ? 0x42 : 0x41;
  put('batch/negative/flipped-byte-00000002.cbatch', flipped);
  put('batch/negative/wrong-key-00000001.cbatch', batch(KEYS.stranger.privateJwk, 1, GENESIS_HASH, [rec(1)]));
  put('batch/negative/keyid-missing-00000001.cbatch', withoutKeyid(b1));
  put('batch/negative/rollback-00000001.cbatch', batch(KEYS.device.privateJwk, 1, GENESIS_HASH, [rec(3)]));
  const fourth = annotation(4, compareHash);
  put('batch/negative/duplicate-id-00000004.cbatch', batch(KEYS.device.privateJwk, 4, sha256(b3), [{ type: 'annotation', record: { ...fourth, id: annotation(1, compareHash).id } }]));
  put('batch/negative/chain-broken-00000004.cbatch', batch(KEYS.device.privateJwk, 4, sha256(b2), [{ type: 'annotation', record: fourth }]));
  put('batch/negative/draft-00000004.cbatch', batch(KEYS.device.privateJwk, 4, sha256(b3), [{ type: 'annotation', record: { ...fourth, status: 'draft', submittedAt: null } }]));

  // Enrolment proofs (request bodies of POST /v1/enrol).
  put('enrol/request.json', enrolBody({ token: TOKEN, deviceId: DEVICE_ID }));
  put('enrol/negative/role-claim.json', enrolBody({ token: TOKEN, deviceId: DEVICE_ID, role: 'admin' }));
  put('enrol/negative/signed-by-another-key.json', enrolBody({ token: TOKEN, deviceId: DEVICE_ID }, KEYS.stranger.privateJwk));
  put('enrol/negative/device-id-charset.json', enrolBody({ token: TOKEN, deviceId: 'dev/../../etc' }));

  // A signed device request.
  const path = '/v1/device/bundles';
  const headers = signRequest(KEYS.device.privateJwk, DEVICE_ID, 'GET', path, new Date(VERIFY_AT));
  put('request/signed-request.json', json({ method: 'GET', pathAndQuery: path, headers, signedText: requestSigningText('GET', path, VERIFY_AT) }));

  put('vectors.json', json(index(b1, b2, b3)));
  put('README.md', Buffer.from(readme()));
  return files;
}

/** What every vector is expected to give: the test runs the verifiers and compares. */
function index(b1: Buffer, b2: Buffer, b3: Buffer) {
  const chain = [1, 2, 3].map((n) => `batch/${DEVICE_ID}-0000000${n}.cbatch`);
  const accepted = [b1, b2, b3].map((b, i) => ({ ok: true, seq: i + 1, hash: sha256(b) }));
  return {
    verifyAt: VERIFY_AT,
    bundles: [
      { name: 'a small bundle', file: 'bundle/good-v1.cbundle', trust: 'keys/org.public.jwk', expect: { ok: true, bundleId: 'vector.minimal', version: 1, taskCount: 3 } },
      { name: 'the same files in reverse entry order, stored (method 0)', file: 'bundle/reordered-stored.cbundle', trust: 'keys/org.public.jwk', expect: { ok: true, bundleId: 'vector.minimal', version: 1, taskCount: 3 } },
      { name: 'wrong key: a trusted key that did not sign it', file: 'bundle/good-v1.cbundle', trust: 'keys/stranger.public.jwk', expect: { ok: false, refusal: 'no_trusted_keyid' } },
      { name: 'one byte of tasks.jsonl changed after signing', file: 'bundle/tasks-byte-changed.cbundle', trust: 'keys/org.public.jwk', expect: { ok: false, refusal: 'hash_mismatch' } },
      { name: 'one bit of the manifest signature flipped', file: 'bundle/signature-byte-flipped.cbundle', trust: 'keys/org.public.jwk', expect: { ok: false, refusal: 'signature_invalid' } },
      { name: 'the signature has no keyid', file: 'bundle/keyid-missing.cbundle', trust: 'keys/org.public.jwk', expect: { ok: false, refusal: 'no_trusted_keyid' } },
      { name: 'duplicate task ids (signed and hash-correct)', file: 'bundle/duplicate-task-ids.cbundle', trust: 'keys/org.public.jwk', expect: { ok: false, refusal: 'invalid_content' } },
      { name: 'rollback: version 1 imported after version 2', installFirst: 'bundle/good-v2.cbundle', file: 'bundle/good-v1.cbundle', trust: 'keys/org.public.jwk', expect: { ok: false, refusal: 'rollback' } },
    ],
    batches: {
      device: { deviceId: DEVICE_ID, publicKey: 'keys/device.public.jwk', keyId: keyId(KEYS.device.publicJwk), ...USER },
      serverKey: 'keys/server.private.jwk',
      cases: [
        { name: 'a chain of three, then a replay of the second', send: [...chain, chain[1]], expect: [...accepted, { ...accepted[1], duplicate: true }] },
        { name: 'gap: the third after the first', send: [chain[0], chain[2]], expect: [accepted[0], { ok: false, status: 409, code: 'gap', expectedSeq: 2 }] },
        { name: 'rollback: other bytes for seq 1 after the chain', send: [...chain, 'batch/negative/rollback-00000001.cbatch'], expect: [...accepted, { ok: false, status: 409, code: 'conflict' }] },
        { name: 'wrong key: signed by a key that is not enrolled', send: ['batch/negative/wrong-key-00000001.cbatch'], expect: [{ ok: false, status: 403, code: 'unknown_key' }] },
        { name: 'the signature has no keyid', send: ['batch/negative/keyid-missing-00000001.cbatch'], expect: [{ ok: false, status: 403, code: 'unknown_key' }] },
        { name: 'one byte of the signature changed', send: [chain[0], 'batch/negative/flipped-byte-00000002.cbatch'], expect: [accepted[0], { ok: false, status: 400, code: 'bad_signature' }] },
        { name: 'duplicate ids: a record id already accepted in batch 1', send: [...chain, 'batch/negative/duplicate-id-00000004.cbatch'], expect: [...accepted, { ok: false, status: 409, code: 'record_clash' }] },
        { name: 'seq 4 chained on batch 2 instead of 3', send: [...chain, 'batch/negative/chain-broken-00000004.cbatch'], expect: [...accepted, { ok: false, status: 409, code: 'chain_mismatch' }] },
        { name: 'a draft annotation in a batch', send: [...chain, 'batch/negative/draft-00000004.cbatch'], expect: [...accepted, { ok: false, status: 400, code: 'invalid_batch' }] },
      ],
    },
    enrolment: {
      token: TOKEN,
      binding: USER,
      cases: [
        { name: 'a proof for the token and device', file: 'enrol/request.json', expect: { ok: true, deviceId: DEVICE_ID, ...USER } },
        { name: 'claims a role the token does not grant', file: 'enrol/negative/role-claim.json', expect: { ok: false, status: 403, code: 'token_mismatch' } },
        { name: 'signed by another key than publicKey', file: 'enrol/negative/signed-by-another-key.json', expect: { ok: false, status: 400, code: 'bad_signature' } },
        { name: 'a deviceId outside the character set', file: 'enrol/negative/device-id-charset.json', expect: { ok: false, status: 400, code: 'invalid_request', field: 'proof.payload.deviceId' } },
      ],
    },
    requests: {
      file: 'request/signed-request.json',
      publicKey: 'keys/device.public.jwk',
      cases: [
        { name: 'as signed', expect: null },
        { name: 'a "?" added to a path without a query', pathAndQuery: '/v1/device/bundles?', expect: 'the request signature does not verify' },
        { name: 'the time without milliseconds', time: '2026-06-01T00:00:00Z', expect: 'the request time must be UTC as YYYY-MM-DDTHH:MM:SS.sssZ' },
        { name: 'the signature in base64url', signature: 'base64url', expect: 'the request signature is malformed' },
      ],
    },
  };
}

function readme(): string {
  return `# Test vectors

Generated by \`npm run docs:vectors\` (\`scripts/gen-test-vectors.ts\`); do not edit by hand. Every file here is
checked by \`test/integration/test-vectors.test.ts\`, which runs the project's own verifiers
(the bundle reader and a workstation import, the server's batch acceptance on real SQLite and a
reviewer's workstation receiving the same files, the enrolment proof check and rule, the request
verifier) against each vector and compares the result with
\`vectors.json\`, so these files and the code cannot drift apart.

The keys in \`keys/\` are **test keys with public private halves**: never trust them for anything.
Every vector is verified at \`${VERIFY_AT}\` (the bundles were built at \`${BUILT_AT.toISOString()}\`
and expire a year later).

| folder | what | expected |
| --- | --- | --- |
| \`keys/\` | \`org\` signs bundles, \`device\` signs batches, enrolment proofs and requests (device id \`${DEVICE_ID}\`, its key id's first 22 characters after \`dev_\`), \`server\` signs receipts, \`stranger\` is the wrong key | — |
| \`bundle/good-v1.cbundle\` | a small bundle (3 tasks) built by \`bundle build\` and signed by \`org\` | accepted |
| \`bundle/reordered-stored.cbundle\` | the same entries in reverse order, stored uncompressed | accepted, same content |
| \`bundle/good-v1.cbundle\` with \`keys/stranger.public.jwk\` | wrong key | \`no_trusted_keyid\` |
| \`bundle/tasks-byte-changed.cbundle\` | one byte of \`tasks.jsonl\` changed after signing | \`hash_mismatch\` |
| \`bundle/signature-byte-flipped.cbundle\` | one bit of the manifest signature flipped | \`signature_invalid\` |
| \`bundle/keyid-missing.cbundle\` | the manifest signature without \`keyid\` | \`no_trusted_keyid\` |
| \`bundle/duplicate-task-ids.cbundle\` | two tasks share an id (re-signed: hashes correct) | \`invalid_content\` |
| \`bundle/good-v1.cbundle\` after \`good-v2.cbundle\` | rollback | \`rollback\` |
| \`batch/${DEVICE_ID}-0000000{1,2,3}.cbatch\` | a chain of three batches (\`prevHash\` = SHA-256 of the previous file) | accepted; a replay is a duplicate with the same receipt |
| \`batch/negative/\` | wrong key, no keyid, a flipped signature byte, a gap (3 after 1), rollback (other bytes for seq 1), a record id already accepted, a broken chain, a draft | \`unknown_key\`, \`unknown_key\`, \`bad_signature\`, \`gap\` (expectedSeq 2), \`conflict\`, \`record_clash\`, \`chain_mismatch\`, \`invalid_batch\` |
| \`enrol/request.json\` | the body of \`POST /v1/enrol\` for token \`${TOKEN}\`, bound to ${USER.displayName} (user \`${USER.userId}\`) as ${USER.role} | enrolled for the token's user and role |
| \`enrol/negative/\` | a role claim the token does not grant, a proof signed by another key, a \`deviceId\` outside the character set | \`token_mismatch\`, \`bad_signature\`, \`invalid_request\` naming \`proof.payload.deviceId\` |
| \`request/signed-request.json\` | \`GET /v1/device/bundles\` signed at \`${VERIFY_AT}\`, with the exact signed text | verifies; a trailing \`?\`, a time without milliseconds or a base64url signature does not |

\`vectors.json\` lists every case with its files, keys and expected result (refusal codes as in
[bundles](../bundles.md#refusals) and [sync](../sync.md)).

\`check.py\` is an outside implementation written from [formats](../formats.md) alone: run
\`python3 check.py\` here (with the \`cryptography\` package) to verify the bundle, the batch chain,
the signed request and the enrolment proof the way a Python pipeline would.
`;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const files = await vectorFiles();
  const kept = new Map(HAND_WRITTEN.map((f) => [f, readFileSync(join(VECTORS_DIR, f))]));
  rmSync(VECTORS_DIR, { recursive: true, force: true });
  for (const [path, data] of [...files, ...kept]) {
    mkdirSync(join(VECTORS_DIR, path, '..'), { recursive: true });
    writeFileSync(join(VECTORS_DIR, path), data);
  }
  console.log(`wrote ${files.size} files to ${VECTORS_DIR}`);
}
