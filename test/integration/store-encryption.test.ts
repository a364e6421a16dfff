import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import { ENCRYPT_STEPS } from '../../electron/core/store/encrypt-in-place.ts';
import { StoreKeyError } from '../../electron/core/store/errors.ts';
import { fileKind } from '../../electron/core/store/sqlite-driver.ts';
import { buildMinimal, call, coreWithMinimal, orgKey, tempDir } from '../helpers/workspace.ts';

const PASS = 'a long enough test passphrase';
const RATIONALE = 'r2 uses the weight-based limit for a 45 kg adult';
const REF = { bundleId: 'test.minimal', taskId: 't-compare' };
const DRAFT = { answer: { kind: 'compare' as const, preference: null, ranking: null, scores: {}, rationale: RATIONALE } };

let cleanup = () => {};
afterEach(() => cleanup());

const open = (dataDir: string, passphrase = PASS) => Core.open({ dataDir, host: 'web', protection: { kind: 'passphrase', passphrase } });

/** Everything a user would miss: the bundle, the draft, who they are, their device key. */
async function contents(core: Core) {
  const view = await call(core, 'tasks.open', REF);
  return {
    bundles: (await call(core, 'bundles.list', {})).map((b) => `${b.id} v${b.version} ${b.taskCount}`),
    draft: view.annotation?.content.answer.kind === 'compare' ? view.annotation.content.answer.rationale : null,
    identity: await call(core, 'identity.get', {}),
    deviceKey: await core.ctx.keyVault.load(),
    filler: core.ctx.db.prepare("SELECT COUNT(*) FROM settings WHERE key LIKE 'filler.%'").pluck().get(),
  };
}

/** A plain workstation with work in it, as every store was before this release. */
async function plainWorkstation(dir: string, fillerRows = 0) {
  const { core } = await coreWithMinimal(dir);
  await call(core, 'annotations.saveDraft', { ...REF, content: DRAFT });
  const fill = core.ctx.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  core.ctx.db.transaction(() => {
    for (let i = 0; i < fillerRows; i++) fill.run(`filler.${i}`, `${i} `.padEnd(1000, 'x'));
  })();
  const before = await contents(core);
  await core.close();
  return { data: join(dir, 'data'), before };
}

/** Runs the migration in a child and lets it die (SIGKILL) at `step`, or kills it after `afterMs`. */
function migrateAndDie(dataDir: string, opts: { step?: string; afterMs?: number }): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  const script = new URL('../support/encrypt-then-die.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, PASS, ...(opts.step ? [opts.step] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    // Timed kills start counting once the key is stored: the copy is under way from then on.
    if (opts.afterMs !== undefined && out.startsWith('key-stored')) setTimeout(() => child.kill('SIGKILL'), opts.afterMs);
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, out })));
}

const leftovers = (data: string) => readdirSync(data).filter((f) => f.includes('.encrypting') || f.endsWith('.tmp'));

describe('the store encrypted at rest', () => {
  it('a new workstation is encrypted: nothing readable in its files, it reopens only with its passphrase', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = join(t.dir, 'data');
    const core = await open(data);
    expect(core.ctx.encrypted).toBe(true);
    const key = orgKey();
    await core.importBundle(await buildMinimal(t.dir, key), { trusted: [key.trusted] });
    await call(core, 'identity.setup', { displayName: 'Dr Ada Example', role: 'annotator' });
    await call(core, 'annotations.saveDraft', { ...REF, content: DRAFT });
    const before = await contents(core);
    expect((await call(core, 'app.info', {})).encrypted).toBe(true);
    await core.close();

    expect(fileKind(join(data, 'casebook.sqlite'))).toBe('encrypted');
    for (const f of readdirSync(data)) {
      const bytes = readFileSync(join(data, f));
      for (const secret of ['Paracetamol', RATIONALE, 'Dr Ada Example', before.deviceKey!.d, 'SQLite format 3']) expect(bytes.includes(secret), `${f} holds "${secret}"`).toBe(false);
      expect(statSync(join(data, f)).mode & 0o077, `${f} is private`).toBe(0);
    }
    expect(statSync(data).mode & 0o777).toBe(0o700);

    const again = await open(data);
    expect(await contents(again)).toEqual(before);
    await again.close();
    await expect(open(data, 'not the passphrase')).rejects.toThrow(/passphrase is wrong/);
    await expect(Core.open({ dataDir: data, host: 'web' })).rejects.toThrow(StoreKeyError);
  });

  it('an existing plain store is encrypted in place on the first start with a passphrase, losing nothing', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { data, before } = await plainWorkstation(t.dir);
    expect(fileKind(join(data, 'casebook.sqlite'))).toBe('plain');
    const core = await open(data);
    expect(await contents(core)).toEqual(before);
    await core.close();
    expect(fileKind(join(data, 'casebook.sqlite'))).toBe('encrypted');
    expect(existsSync(join(data, 'device-key.jwk'))).toBe(false);
    expect(leftovers(data)).toEqual([]);
  });

  it.each(['key-stored', ...ENCRYPT_STEPS])('kill -9 at "%s" during the migration loses nothing; the next start finishes it', async (step) => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { data, before } = await plainWorkstation(t.dir);
    const r = await migrateAndDie(data, { step });
    expect(r.signal).toBe('SIGKILL');
    expect(r.out.trim().split('\n').at(-1)).toBe(step);
    const core = await open(data);
    expect(await contents(core)).toEqual(before);
    await core.close();
    expect(fileKind(join(data, 'casebook.sqlite'))).toBe('encrypted');
    expect(leftovers(data)).toEqual([]);
  });

  it('kill -9 at arbitrary moments of copying a larger store loses nothing', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { data: original, before } = await plainWorkstation(t.dir, 20_000);
    expect(before.filler).toBe(20_000);
    const diedAfter: string[] = [];
    for (const [i, ms] of [5, 40, 120, 300].entries()) {
      const data = join(t.dir, `run-${i}`);
      cpSync(original, data, { recursive: true });
      diedAfter.push((await migrateAndDie(data, { afterMs: ms })).out.trim().split('\n').at(-1)!);
      const core = await open(data);
      expect(await contents(core)).toEqual(before);
      await core.close();
    }
    // At least one kill landed inside the copy, before the encrypted file took the plain one's place.
    expect(diedAfter.some((s) => s !== 'renamed' && s !== 'done'), diedAfter.join(', ')).toBe(true);
  }, 120_000);
});
