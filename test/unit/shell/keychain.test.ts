import { describe, expect, it } from 'vitest';
import { keychainBackend, keychainProblem, safeStorageAnswers, type SafeStorageLike } from '../../../electron/main/keychain.ts';

const storage = (backend: string, available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(`sealed:${s}`),
  decryptString: (b) => b.toString().replace(/^sealed:/, ''),
  getSelectedStorageBackend: () => backend,
});

describe('the OS keychain in the Electron shell', () => {
  it('refuses Linux\'s basic_text fallback (a password built into Chromium) and an unknown backend, loudly', () => {
    expect(keychainProblem(storage('basic_text'), 'linux')).toMatch(/No desktop keyring is running .*"basic_text".*Install and unlock GNOME Keyring or KWallet/);
    expect(keychainProblem(storage('unknown'), 'linux')).toMatch(/"unknown"/);
    expect(keychainProblem(storage('gnome_libsecret', false), 'linux')).toMatch(/OS keychain is not available/);
  });

  it('accepts a real keyring, and macOS and Windows keychains', () => {
    for (const b of ['gnome_libsecret', 'kwallet5', 'kwallet6']) expect(keychainProblem(storage(b), 'linux'), b).toBeNull();
    expect(keychainProblem(storage('n/a'), 'darwin')).toBeNull();
    expect(keychainProblem(storage('n/a'), 'win32')).toBeNull();
    expect(keychainBackend(storage('kwallet5'), 'linux')).toBe('kwallet5');
    expect(keychainBackend(storage('n/a'), 'darwin')).toBe('darwin');
  });

  it('will not seal a secret when the keychain would not protect it', async () => {
    const reply = await safeStorageAnswers(storage('basic_text'), 'linux').answer({ type: 'keychain.encrypt', id: 1, plain: 'store-key\nabc' });
    expect(reply).toMatchObject({ id: 1, value: null, error: expect.stringMatching(/basic_text/) });
    const ok = await safeStorageAnswers(storage('gnome_libsecret'), 'linux').answer({ type: 'keychain.decrypt', id: 2, sealed: Buffer.from('sealed:x').toString('base64') });
    expect(ok).toEqual({ type: 'keychain.reply', id: 2, value: 'x', error: null });
  });
});
