import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { run } from '../../electron/cli/main.ts';
import { Core } from '../../electron/core/core.ts';
import { backupStore } from '../../electron/core/store/backup.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/store/migrations/index.ts';
import { openStore } from '../../electron/core/store/open-store.ts';
import { SafeZip } from '../../shared/node/zip.ts';
import { buildMinimal, call, orgKey, tempDir } from '../helpers/workspace.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASS = 'backup test passphrase';
const protection = { kind: 'passphrase' as const, passphrase: PASS };
const REF = { bundleId: 'test.minimal', taskId: 't-compare' };
const draft = (rationale: string) => ({ answer: { kind: 'compare' as const, preference: null, ranking: null, scores: {}, rationale } });

let cleanup = () => {};
afterEach(() => {
  cleanup();
  delete process.env.CASEBOOK_PASSPHRASE;
});

function capture() {
  const lines: string[] = [];
  return { io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) }, text: () => lines.join('\n') };
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

async function workstation(dir: string): Promise<Core> {
  const core = await Core.open({ dataDir: join(dir, 'data'), host: 'web', protection });
  const key = orgKey();
  await core.importBundle(await buildMinimal(dir, key), { trusted: [key.trusted] });
  await call(core, 'identity.setup', { displayName: 'Dr Backup', role: 'annotator' });
  return core;
}

const rationale = async (core: Core) => {
  const a = (await call(core, 'tasks.open', REF)).annotation?.content.answer;
  return a?.kind === 'compare' ? a.rationale : null;
};

describe('casebook backup and restore', () => {
  it('backs up a running workstation, consistently and encrypted, and restores it elsewhere', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const core = await workstation(t.dir);
    await call(core, 'annotations.saveDraft', { ...REF, content: draft('saved before the backup') });
    const who = await call(core, 'identity.get', {});
    const out = join(t.dir, 'ws.cbackup');

    // The app keeps autosaving while another process takes the backup.
    const backup = cli(['backup', '--data', join(t.dir, 'data'), '--out', out], { CASEBOOK_PASSPHRASE: PASS });
    let saves = 0;
    let done = false;
    void backup.then(() => (done = true));
    while (!done) {
      await call(core, 'annotations.saveDraft', { ...REF, content: draft(`autosave ${++saves}`) });
      await new Promise((r) => setTimeout(r, 5));
    }
    const b = await backup;
    expect(b.code, b.out).toBe(0);
    expect(b.out).toMatch(/backed up .* \(schema \d+, \d+ bytes, encrypted\)/);
    expect(saves).toBeGreaterThan(0);
    await core.close();

    const bytes = readFileSync(out);
    for (const secret of ['Paracetamol', 'saved before the backup', 'Dr Backup', 'SQLite format 3']) expect(bytes.includes(secret), secret).toBe(false);

    process.env.CASEBOOK_PASSPHRASE = PASS;
    const r = capture();
    expect(await run(['restore', out, '--data', join(t.dir, 'restored')], r.io), r.text()).toBe(0);
    const restored = await Core.open({ dataDir: join(t.dir, 'restored'), host: 'web', protection });
    expect(await call(restored, 'identity.get', {})).toEqual(who);
    expect(await rationale(restored)).toMatch(/^(saved before the backup|autosave \d+)$/);
    expect(await restored.ctx.keyVault.load()).not.toBeNull();
    await restored.close();
  });

  it('an older app’s backup restores onto this one and migrates forward', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const old = await openStore(join(t.dir, 'old'), protection, { migrations: MIGRATIONS.slice(0, 2) });
    old.db
      .prepare('INSERT INTO identity (id, user_id, display_name, role, device_id, device_public_jwk, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)')
      .run('00000000-0000-4000-8000-000000000001', 'Dr From Schema Two', 'reviewer', 'dev_old', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }), '2026-01-01T00:00:00.000Z');
    old.db.close();
    const out = join(t.dir, 'old.cbackup');
    expect((await backupStore(join(t.dir, 'old'), protection, out, '0.0.9')).schemaVersion).toBe(2);

    process.env.CASEBOOK_PASSPHRASE = PASS;
    const r = capture();
    expect(await run(['restore', out, '--data', join(t.dir, 'new')], r.io), r.text()).toBe(0);
    expect(r.text()).toMatch(new RegExp(`schema 2\\) into .*, migrated to schema ${SCHEMA_VERSION}`));
    const core = await Core.open({ dataDir: join(t.dir, 'new'), host: 'web', protection });
    expect(core.ctx.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((await call(core, 'identity.get', {}))?.displayName).toBe('Dr From Schema Two');
    await core.close();
  });

  it('refuses a backup from a newer app, whether its header says so or only its store does; nothing is written', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const s = await openStore(join(t.dir, 'src'), protection);
    s.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    s.db.close();
    const honest = join(t.dir, 'newer.cbackup');
    await backupStore(join(t.dir, 'src'), protection, honest, '9.0.0');

    process.env.CASEBOOK_PASSPHRASE = PASS;
    const a = capture();
    expect(await run(['restore', honest, '--data', join(t.dir, 'a')], a.io)).toBe(1);
    expect(a.text()).toMatch(new RegExp(`made by a newer Casebook \\(schema ${SCHEMA_VERSION + 1}; this app knows up to ${SCHEMA_VERSION}\\)\\. Update Casebook first; nothing was restored`));
    expect(existsSync(join(t.dir, 'a'))).toBe(false);

    // The same store under a header that claims an old schema: the store's own version decides.
    const lying = join(t.dir, 'lying.cbackup');
    const zip = await SafeZip.open(honest);
    const header = JSON.parse((await zip.read('casebook-backup.json', 65536)).toString()) as Record<string, unknown>;
    const z = new yazl.ZipFile();
    z.addBuffer(Buffer.from(JSON.stringify({ ...header, schemaVersion: 1 })), 'casebook-backup.json');
    z.addBuffer(await zip.read('vault.json', 1 << 20), 'vault.json');
    z.addBuffer(await zip.read('casebook.sqlite', 1 << 30), 'casebook.sqlite', { compress: false });
    z.end();
    zip.close();
    await pipeline(z.outputStream, createWriteStream(lying));
    const b = capture();
    expect(await run(['restore', lying, '--data', join(t.dir, 'b')], b.io)).toBe(1);
    expect(b.text()).toMatch(/made by a newer Casebook/);
    expect(existsSync(join(t.dir, 'b'))).toBe(false);
    expect(readdirSync(t.dir).filter((f) => f.includes('restoring'))).toEqual([]);
  });

  it('refuses a wrong passphrase, a folder already in use, a damaged backup and a plain store to back up', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const core = await workstation(t.dir);
    await core.close();
    const out = join(t.dir, 'ws.cbackup');
    await backupStore(join(t.dir, 'data'), protection, out, '0.1.0');

    process.env.CASEBOOK_PASSPHRASE = 'not it';
    const wrong = capture();
    expect(await run(['restore', out, '--data', join(t.dir, 'x')], wrong.io)).toBe(1);
    expect(wrong.text()).toMatch(/that passphrase does not open this backup\. Nothing was restored/);

    process.env.CASEBOOK_PASSPHRASE = PASS;
    mkdirSync(join(t.dir, 'busy'));
    writeFileSync(join(t.dir, 'busy', 'notes.txt'), 'mine');
    const busy = capture();
    expect(await run(['restore', out, '--data', join(t.dir, 'busy')], busy.io)).toBe(1);
    expect(busy.text()).toMatch(/is not empty; restore into a new folder/);

    const bytes = readFileSync(out);
    const store = bytes.indexOf(Buffer.from('casebook.sqlite')) + 4096;
    bytes[store] = bytes[store]! ^ 0xff;
    writeFileSync(join(t.dir, 'flipped.cbackup'), bytes);
    const flipped = capture();
    expect(await run(['restore', join(t.dir, 'flipped.cbackup'), '--data', join(t.dir, 'y')], flipped.io)).toBe(1);
    expect(flipped.text()).toMatch(/does not match its recorded SHA-256; the backup is damaged/);

    const plain = await Core.open({ dataDir: join(t.dir, 'plain'), host: 'web' });
    await plain.close();
    delete process.env.CASEBOOK_PASSPHRASE;
    const p = capture();
    expect(await run(['backup', '--data', join(t.dir, 'plain'), '--out', join(t.dir, 'p.cbackup')], p.io)).toBe(1);
    expect(p.text()).toMatch(/is not encrypted, and backups are/);
  });
});
