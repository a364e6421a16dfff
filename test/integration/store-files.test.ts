import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/core.ts';
import { coreWithMinimal, tempDir } from '../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

const mode = (p: string) => statSync(p).mode & 0o777;

describe('the data folder is private to its user', () => {
  it('a data folder made before this rule (0755, store files 0644) is tightened to 0700 and 0600 when opened', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { core } = await coreWithMinimal(t.dir);
    await core.close();
    const data = join(t.dir, 'data');
    chmodSync(data, 0o755);
    for (const f of readdirSync(data)) chmodSync(join(data, f), 0o644);

    const again = await Core.open({ dataDir: data, host: 'web' });
    expect(mode(data)).toBe(0o700);
    const files = readdirSync(data);
    expect(files).toEqual(expect.arrayContaining(['casebook.sqlite', 'casebook.sqlite-wal', 'casebook.sqlite-shm', 'vault.json']));
    for (const f of files) expect(mode(join(data, f)), f).toBe(0o600);
    await again.close();
  });

  it('a new store and its WAL are never readable by others, even for a moment (created 0600)', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = join(t.dir, 'fresh');
    const core = await Core.open({ dataDir: data, host: 'web' });
    expect(mode(data)).toBe(0o700);
    for (const f of readdirSync(data)) expect(mode(join(data, f)), f).toBe(0o600);
    await core.close();
  });
});
