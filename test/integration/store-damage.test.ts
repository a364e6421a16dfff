import { copyFileSync, mkdirSync, openSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main.ts';
import { Core } from '../../electron/core/core.ts';
import { openConnection } from '../../electron/core/store/sqlite-driver.ts';
import { KeyVault } from '../../electron/core/vault/key-vault.ts';
import { passphraseProtector } from '../../electron/core/vault/protectors.ts';
import { buildMinimal, call, callError, coreWithMinimal, tempDir } from '../helpers/workspace.ts';

const COMPARE_DRAFT = { answer: { kind: 'compare' as const, preference: null, ranking: null, scores: {}, rationale: 'r2 follows the weight-based limit' } };

let cleanup = () => {};
afterEach(() => cleanup());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err, text: () => [...out, ...err].join('\n') };
}

/** Overwrites one page of a store file with garbage, as a bad sector or a stray write would. */
function garblePage(file: string, page: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(16384, 0xa5), 0, 16384, (page - 1) * 16384);
  } finally {
    closeSync(fd);
  }
}

async function withPassphrase<T>(passphrase: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env.CASEBOOK_PASSPHRASE;
  if (passphrase === undefined) delete process.env.CASEBOOK_PASSPHRASE;
  else process.env.CASEBOOK_PASSPHRASE = passphrase;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.CASEBOOK_PASSPHRASE;
    else process.env.CASEBOOK_PASSPHRASE = before;
  }
}

/** A workstation with a draft saved, closed, copied; the copy's annotations page garbled. */
async function damagedCopy(dir: string, passphrase?: string): Promise<string> {
  const { core } = await coreWithMinimal(dir);
  await call(core, 'annotations.saveDraft', { bundleId: 'test.minimal', taskId: 't-compare', content: COMPARE_DRAFT });
  await core.close();
  const data = join(dir, 'data');
  // Encrypted in place, as the first start with a passphrase does.
  if (passphrase) await (await Core.open({ dataDir: data, host: 'web', protection: { kind: 'passphrase', passphrase } })).close();
  const copy = join(dir, 'copy');
  mkdirSync(copy);
  copyFileSync(join(data, 'casebook.sqlite'), join(copy, 'casebook.sqlite'));
  copyFileSync(join(data, 'vault.json'), join(copy, 'vault.json'));
  // The page status never reads: today's `status` would still say all is well.
  const key = passphrase ? await KeyVault.readSecret(data, passphraseProtector(passphrase), 'store-key') : null;
  const probe = openConnection(join(data, 'casebook.sqlite'), key ? { key } : {});
  const page = probe.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").pluck().get() as number;
  probe.close();
  garblePage(join(copy, 'casebook.sqlite'), page);
  return copy;
}

describe('a damaged store is named, with what to do, never served', () => {
  it.each([
    ['plain', undefined],
    ['encrypted', 'page damage passphrase'],
  ])('a garbled page in a %s store: `status` exits non-zero naming the file and the remedy; `doctor` reports it', async (_kind, passphrase) => {
    const t = tempDir();
    cleanup = t.cleanup;
    const copy = await damagedCopy(t.dir, passphrase);
    await withPassphrase(passphrase, async () => {
      const s = capture();
      expect(await run(['status', '--data', copy], s.io)).toBe(1);
      expect(s.text()).toContain(join(copy, 'casebook.sqlite'));
      expect(s.text()).toMatch(/is damaged .*Restore the data folder from a backup \(`casebook restore`\).*re-import your bundle files/s);
      expect(s.text()).not.toMatch(/\n\s+at |internal|unexpected error/);

      const d = capture();
      expect(await run(['doctor', '--data', copy], d.io)).toBe(1);
      expect(d.text()).toMatch(/damaged: /);
      expect(d.text()).toMatch(/damage found\. Restore the data folder from a backup/);
    });
  });

  it('"45 kg" changed to "95 kg" in a stored task: refused on read, named by doctor, repaired by importing the same bundle again', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { core, key } = await coreWithMinimal(t.dir);
    const db = core.ctx.db;
    const before = db.prepare("SELECT body FROM tasks WHERE task_id = 't-compare'").pluck().get() as string;
    expect(before).toContain('45 kg');
    db.prepare("UPDATE tasks SET body = replace(body, '45 kg', '95 kg') WHERE task_id = 't-compare'").run();

    const err = await callError(core, 'tasks.open', { bundleId: 'test.minimal', taskId: 't-compare' });
    expect(err.code).toBe('damaged');
    expect(err.message).toMatch(/Task "t-compare" of bundle "test\.minimal" no longer matches the content its bundle signed/);
    expect(err.message).toContain(join(t.dir, 'data', 'casebook.sqlite'));
    expect(err.message).toMatch(/Import the same bundle file again/);
    // Every path that reads the task refuses it too: no annotation on content nobody signed.
    expect((await callError(core, 'annotations.saveDraft', { bundleId: 'test.minimal', taskId: 't-compare', content: COMPARE_DRAFT })).code).toBe('damaged');
    // The other tasks still open.
    await call(core, 'tasks.open', { bundleId: 'test.minimal', taskId: 't-exemplar' });
    await core.close();

    const d = capture();
    expect(await run(['doctor', '--data', join(t.dir, 'data')], d.io)).toBe(1);
    expect(d.text()).toMatch(/task "t-compare" of bundle "test\.minimal" \(v1\): content no longer matches its signed SHA-256/);
    expect(d.text()).not.toMatch(/t-exemplar|t-trajectory/);

    const again = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web' });
    const r = await again.importBundle(await buildMinimal(t.dir, key, 'again.cbundle'), { trusted: [key.trusted] }).catch((e: Error) => e);
    // A rebuilt file is a new signature over the same content: refused as different, so use the original.
    expect(r).toBeInstanceOf(Error);
    const repaired = await again.importBundle(join(t.dir, 'minimal.cbundle'), { trusted: [key.trusted] });
    expect(repaired).toMatchObject({ outcome: 'unchanged', repairedTasks: 1 });
    expect((await call(again, 'tasks.open', { bundleId: 'test.minimal', taskId: 't-compare' })).task).toMatchObject({ context: [{ content: expect.stringContaining('45 kg') }] });
    await again.close();
    const ok = capture();
    expect(await run(['doctor', '--data', join(t.dir, 'data')], ok.io)).toBe(0);
    expect(ok.text()).toMatch(/no damage found/);
  });
});
