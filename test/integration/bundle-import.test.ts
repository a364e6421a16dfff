import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Core } from '../../electron/core/core.ts';
import { ApiError } from '../../shared/contract/index.ts';
import { buildBundle, ProblemsError } from '../../shared/node/bundle/index.ts';
import { buildMinimal, call, MINIMAL_SRC, orgKey, tempDir, type OrgKey } from '../helpers/workspace.ts';
import { readEntries, writeEntries } from '../helpers/zipkit.ts';

let t: ReturnType<typeof tempDir>;
let key: OrgKey;
let core: Core;

beforeEach(async () => {
  t = tempDir();
  key = orgKey();
  core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web' });
});
afterEach(async () => {
  await core.close();
  t.cleanup();
});

/** Everything a refused import must leave exactly as it was. */
function storeFingerprint(): string {
  const db = core.ctx.db;
  const dump = ['bundles', 'tasks', 'annotations', 'task_state'].map((tbl) => JSON.stringify(db.prepare(`SELECT * FROM ${tbl} ORDER BY 1, 2`).all()));
  return createHash('sha256').update(dump.join('\n')).digest('hex');
}

async function expectRefused(file: string, pattern: RegExp, trusted = [key.trusted]): Promise<void> {
  const before = storeFingerprint();
  const err = await core.importBundle(file, { trusted }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'import should have been refused').toBeInstanceOf(ApiError);
  expect((err as ApiError).message).toMatch(pattern);
  expect((err as ApiError).message).toMatch(/nothing was (imported|changed)/);
  expect(storeFingerprint()).toBe(before);
}

describe('bundle import', () => {
  it('imports a signed bundle with all its tasks, and re-importing the same file changes nothing', async () => {
    const file = await buildMinimal(t.dir, key);
    const r = await core.importBundle(file, { trusted: [key.trusted] });
    expect(r).toMatchObject({ bundleId: 'test.minimal', version: 1, taskCount: 3, outcome: 'imported' });
    const fp = storeFingerprint();
    expect((await core.importBundle(file, { trusted: [key.trusted] })).outcome).toBe('unchanged');
    expect(storeFingerprint()).toBe(fp);
    await call(core, 'identity.setup', { displayName: 'A', role: 'annotator' });
    const q = await call(core, 'queue.list', { bundleId: 'test.minimal' });
    expect(q.items.map((i) => i.taskId)).toEqual(['t-compare', 't-exemplar', 't-trajectory']);
  });

  it('refuses a bundle signed by an unknown key', async () => {
    const stranger = orgKey('Stranger');
    await expectRefused(await buildMinimal(t.dir, stranger), /no signature verifies under a trusted key/);
  });

  it('follows the keyid rule: a manifest signature whose keyid names no trusted key, or more than four signatures, is refused', async () => {
    const entries = await readEntries(await buildMinimal(t.dir, key));
    const withManifest = async (name: string, edit: (env: { signatures: { keyid?: string; sig: string }[] }) => object) => {
      const file = join(t.dir, name);
      await writeEntries(
        file,
        entries.map((e) => (e.name === 'manifest.dsse.json' ? { ...e, data: Buffer.from(JSON.stringify(edit(JSON.parse(e.data.toString('utf8'))))) } : e)),
      );
      return file;
    };
    // The signature is genuine; only its keyid is wrong. It used to be tried against every trusted key.
    await expectRefused(await withManifest('bogus-keyid.cbundle', (env) => ({ ...env, signatures: env.signatures.map((s) => ({ ...s, keyid: 'bogus' })) })), /no signature names a trusted key by its keyid/);
    await expectRefused(await withManifest('no-keyid.cbundle', (env) => ({ ...env, signatures: env.signatures.map((s) => ({ sig: s.sig })) })), /no signature names a trusted key by its keyid/);
    await expectRefused(await withManifest('five.cbundle', (env) => ({ ...env, signatures: Array.from({ length: 5 }, () => env.signatures[0]!) })), /carries 5 signatures; .* allows at most 4/);
  });

  it('refuses a bundle with one flipped byte in any file, or in the signed manifest', async () => {
    const good = await buildMinimal(t.dir, key);
    const entries = await readEntries(good);
    const stored = join(t.dir, 'stored.cbundle');
    await writeEntries(stored, entries);
    const bytes = readFileSync(stored);
    // Flip one byte inside each entry's content (stored uncompressed, so it sits verbatim in the file).
    for (const e of entries) {
      const at = bytes.indexOf(e.data) + Math.floor(e.data.length / 2);
      expect(at).toBeGreaterThan(0);
      const flipped = Buffer.from(bytes);
      flipped[at] = flipped[at]! ^ 0x01;
      const f = join(t.dir, `flip-${e.name}.cbundle`);
      writeFileSync(f, flipped);
      // zip CRC, manifest hash or signature: whichever catches it, the import is refused whole.
      await expectRefused(f, /.+/);
    }
  });

  it('refuses content changed and re-zipped without re-signing (hash mismatch named)', async () => {
    const entries = await readEntries(await buildMinimal(t.dir, key));
    const tasks = entries.find((e) => e.name === 'guidelines.md')!;
    tasks.data = Buffer.from(tasks.data.toString().replace('correct', 'c0rrect'));
    const f = join(t.dir, 'edited.cbundle');
    await writeEntries(f, entries);
    await expectRefused(f, /guidelines\.md: content does not match the manifest hash/);
  });

  it('refuses a file that is not in the manifest', async () => {
    const entries = await readEntries(await buildMinimal(t.dir, key));
    const f = join(t.dir, 'extra.cbundle');
    await writeEntries(f, [...entries, { name: 'payload.sh', data: Buffer.from('rm -rf ~') }]);
    await expectRefused(f, /entry "payload\.sh" is not in the signed manifest/);
  });

  it('refuses a bundle missing a file its manifest lists', async () => {
    const entries = await readEntries(await buildMinimal(t.dir, key));
    const f = join(t.dir, 'missing.cbundle');
    await writeEntries(f, entries.filter((e) => e.name !== 'rubric.json'));
    await expectRefused(f, /rubric\.json is listed in the manifest but missing/);
  });

  it('refuses an unsigned bundle', async () => {
    const entries = await readEntries(await buildMinimal(t.dir, key));
    const f = join(t.dir, 'unsigned.cbundle');
    await writeEntries(f, entries.filter((e) => e.name !== 'manifest.dsse.json'));
    await expectRefused(f, /unsigned/);
  });

  it('refuses a file that is not a zip', async () => {
    const f = join(t.dir, 'junk.cbundle');
    writeFileSync(f, 'this is not a zip');
    await expectRefused(f, /not a readable zip/);
  });

  it('refuses an expired bundle', async () => {
    const file = join(t.dir, 'old.cbundle');
    const src = join(t.dir, 'src');
    cpSync(MINIMAL_SRC, src, { recursive: true });
    const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8'));
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, expiresAt: '2026-01-02T00:00:00Z' }));
    await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: file, now: new Date('2026-01-01T00:00:00Z') });
    await expectRefused(file, /expired at 2026-01-02/);
  });

  it('refuses a lower version than installed, and the same version with different content', async () => {
    const src = join(t.dir, 'src');
    cpSync(MINIMAL_SRC, src, { recursive: true });
    const settings = JSON.parse(readFileSync(join(src, 'bundle.json'), 'utf8'));
    writeFileSync(join(src, 'bundle.json'), JSON.stringify({ ...settings, version: 2 }));
    const v2 = join(t.dir, 'v2.cbundle');
    await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: v2 });
    await core.importBundle(v2, { trusted: [key.trusted] });
    await expectRefused(await buildMinimal(t.dir, key), /version 1 is older than the installed version 2/);
    writeFileSync(join(src, 'guidelines.md'), '# Changed\n');
    const v2b = join(t.dir, 'v2b.cbundle');
    await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: v2b });
    await expectRefused(v2b, /already installed with different content/);
  });

  it('trusts a prefix-scoped key only for its own bundle ids', async () => {
    const sampleKey = orgKey('Samples', 'sample.');
    await expectRefused(await buildMinimal(t.dir, sampleKey), /trusted only for bundles whose id starts with "sample\."/, [sampleKey.trusted]);
  });
});

describe('bundle build', () => {
  it('reports every problem at once, each with file, line and field, and writes nothing', async () => {
    const src = join(t.dir, 'bad');
    cpSync(MINIMAL_SRC, src, { recursive: true });
    writeFileSync(
      join(src, 'tasks.jsonl'),
      [
        '{"id":"a","kind":"compare","context":[{"role":"user","content":"q"}],"responses":[{"id":"r1","content":"only one"}]}',
        '{not json',
        '{"id":"a","kind":"exemplar","context":[{"role":"user","content":"q"}],"draft":"d"}',
        '{"id":"a","kind":"exemplar","context":[{"role":"user","content":"q"}],"draft":"d"}',
      ].join('\n') + '\n',
    );
    writeFileSync(join(src, 'rubric.json'), JSON.stringify({ criteria: [{ id: 'x', label: 'X', scale: { type: 'likert', points: [] } }] }));
    const out = join(t.dir, 'bad.cbundle');
    const err = await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    const text = (err as ProblemsError).message;
    expect(text).toMatch(/tasks\.jsonl: line 1: .*responses: a compare task needs at least 2 responses/);
    expect(text).toMatch(/tasks\.jsonl: line 2: invalid JSON/);
    expect(text).toMatch(/tasks\.jsonl: line 4: id: duplicate task id "a" \(first on line 3\)/);
    expect(text).toMatch(/rubric\.json: criteria\[0\]\.scale\.points: a Likert scale needs at least two labelled points/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('reports text that is not valid UTF-8 with its line', async () => {
    const src = join(t.dir, 'latin1');
    cpSync(MINIMAL_SRC, src, { recursive: true });
    const good = readFileSync(join(src, 'tasks.jsonl'));
    writeFileSync(join(src, 'tasks.jsonl'), Buffer.concat([good, Buffer.from('{"id":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const err = await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: join(t.dir, 'x.cbundle') }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/tasks\.jsonl: line 4: is not valid UTF-8/);
  });
});
