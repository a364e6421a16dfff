import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Every fsync and rename, in order, with the path each file descriptor was opened on. */
const log: string[] = [];
const fdPaths = new Map<number, string>();
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    openSync: (path: fs.PathLike, ...rest: unknown[]) => {
      const fd = (real.openSync as (...a: unknown[]) => number)(path, ...rest);
      fdPaths.set(fd, String(path));
      return fd;
    },
    fsyncSync: (fd: number) => {
      log.push(`fsync ${fdPaths.get(fd)}`);
      return real.fsyncSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      log.push(`rename ${String(from)} -> ${String(to)}`);
      return real.renameSync(from, to);
    },
  };
});

const { writeFileDurably } = await import('../../shared/node/durable-file.ts');
const { KeyVault } = await import('../../electron/core/vault/key-vault.ts');
const { passphraseProtector } = await import('../../electron/core/vault/protectors.ts');
const { tempDir } = await import('../helpers/workspace.ts');

let cleanup = () => {};
afterEach(() => {
  cleanup();
  log.length = 0;
});

describe('key files reach the disk before anything depends on them', () => {
  it('writeFileDurably: the file is fsynced, then renamed into place, then its directory fsynced', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'key.jwk');
    writeFileDurably(path, '{"secret":1}\n');
    const tmp = `${path}.${process.pid}.tmp`;
    expect(log).toEqual([`fsync ${tmp}`, `rename ${tmp} -> ${path}`, `fsync ${t.dir}`]);
    expect(fs.readFileSync(path, 'utf8')).toBe('{"secret":1}\n');
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
  });

  it('the vault: storing a secret ends with the vault renamed into place and its directory fsynced', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const vault = await KeyVault.open(t.dir, passphraseProtector('p', { N: 2 ** 14, r: 8, p: 1 }));
    log.length = 0;
    await vault.put('store-key', '00'.repeat(32));
    const path = join(t.dir, 'vault.json');
    expect(log.slice(-3)).toEqual([`fsync ${path}.${process.pid}.tmp`, `rename ${path}.${process.pid}.tmp -> ${path}`, `fsync ${t.dir}`]);
  });
});
