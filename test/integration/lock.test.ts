import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../shared/contract/index.ts';
import { Core } from '../../electron/core/core.ts';
import type { Keychain } from '../../electron/core/vault/protectors.ts';
import { call, callError, tempDir } from '../helpers/workspace.ts';

let cleanup = () => {};
afterEach(() => cleanup());

function keychain(): Keychain & { sessionLocked: boolean } {
  const k = {
    backend: 'gnome_libsecret',
    sessionLocked: false,
    encrypt: async (s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x33)),
    decrypt: async (b: Buffer) => {
      if (k.sessionLocked) throw new Error('the keyring is locked');
      return Buffer.from(b.map((x) => x ^ 0x33)).toString();
    },
  };
  return k;
}

describe('locking the workstation', () => {
  it('locked, the core answers only how to unlock; the passphrase unlocks it, a wrong one does not', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web', protection: { kind: 'passphrase', passphrase: 'lock test passphrase' }, idleMinutes: 5 });
    const events: CoreEvent[] = [];
    core.subscribe((e) => events.push(e));
    expect((await call(core, 'app.info', {})).lock).toEqual({ locked: false, unlockWith: 'passphrase', idleMinutes: 5 });

    expect(await call(core, 'app.lock', {})).toMatchObject({ locked: true });
    expect(events).toContainEqual({ type: 'app.locked' });
    for (const [method, req] of [['bundles.list', {}], ['identity.get', {}], ['identity.setup', { displayName: 'X', role: 'admin' }], ['sync.status', {}]] as const) {
      expect(await callError(core, method, req), method).toMatchObject({ code: 'locked', message: 'Casebook is locked: unlock it to go on.' });
    }
    expect((await call(core, 'app.info', {})).lock.locked).toBe(true);
    expect(await callError(core, 'app.unlock', {})).toMatchObject({ code: 'invalid_request' });
    expect(await callError(core, 'app.unlock', { passphrase: 'guess' })).toMatchObject({ code: 'refused', message: expect.stringMatching(/wrong/) });
    expect(await callError(core, 'bundles.list', {})).toMatchObject({ code: 'locked' });

    expect(await call(core, 'app.unlock', { passphrase: 'lock test passphrase' })).toMatchObject({ locked: false });
    expect(await call(core, 'bundles.list', {})).toEqual([]);
    await core.close();
  });

  it('with the OS keychain, unlocking takes the OS session: refused while the keychain is locked', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const k = keychain();
    const core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'electron', protection: { kind: 'os-keychain', keychain: k } });
    expect((await call(core, 'app.lock', {})).unlockWith).toBe('os-session');
    k.sessionLocked = true;
    expect(await callError(core, 'app.unlock', {})).toMatchObject({ code: 'refused', message: expect.stringMatching(/OS keychain did not open/) });
    k.sessionLocked = false;
    expect(await call(core, 'app.unlock', {})).toMatchObject({ locked: false });
    await core.close();
  });

  it('a plain store locks as a screen and unlocks with nothing (there is no secret to ask for)', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const core = await Core.open({ dataDir: join(t.dir, 'data'), host: 'web', idleMinutes: null });
    expect(await call(core, 'app.lock', {})).toEqual({ locked: true, unlockWith: 'nothing', idleMinutes: null });
    expect(await call(core, 'app.unlock', {})).toMatchObject({ locked: false });
    await core.close();
  });
});
