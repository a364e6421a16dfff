import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyVault } from '../../electron/core/vault/key-vault.ts';
import { keychainProtector, noProtection, passphraseProtector, type Keychain } from '../../electron/core/vault/protectors.ts';
import { StoreKeyError } from '../../electron/core/store/errors.ts';
import { generateKeyPair } from '../../shared/node/keys.ts';
import { tempDir } from '../helpers/workspace.ts';

/** Stands in for Electron's safeStorage: a reversible transform shows the secret is not stored in clear. */
const fakeKeychain: Keychain = {
  backend: 'gnome-libsecret',
  encrypt: async (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: async (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};
/** A cheap scrypt for unit tests; the hosts use the default (2^17). */
const pass = (p: string) => passphraseProtector(p, { N: 2 ** 14, r: 8, p: 1 });

let cleanup = () => {};
afterEach(() => cleanup());
function dir(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}
const vaultText = (d: string) => readFileSync(join(d, 'vault.json'), 'utf8');

describe('the key vault', () => {
  it('keeps named secrets sealed by a passphrase: nothing readable in the file, 0600, wrong passphrase refused', async () => {
    const d = dir();
    const { privateJwk } = generateKeyPair();
    const v = await KeyVault.open(d, pass('correct horse'));
    await v.store(privateJwk);
    await v.put('store-key', 'ab'.repeat(32));
    expect(vaultText(d)).not.toContain(privateJwk.d);
    expect(vaultText(d)).not.toContain('ab'.repeat(32));
    expect(statSync(join(d, 'vault.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['vault.json']); // no temporary file left behind

    const again = await KeyVault.open(d, pass('correct horse'));
    expect(await again.load()).toEqual(privateJwk);
    expect(await again.get('store-key')).toBe('ab'.repeat(32));
    expect(await again.opensWith(pass('correct horse'))).toBe(true);
    expect(await again.opensWith(pass('wrong'))).toBe(false);
    await expect(KeyVault.open(d, pass('wrong'))).rejects.toThrow(/passphrase is wrong.*vault\.json stays locked/);
  });

  it('binds each sealed value to its name: swapping the device key and store key entries is detected', async () => {
    const d = dir();
    const v = await KeyVault.open(d, pass('p'));
    await v.store(generateKeyPair().privateJwk);
    await v.put('store-key', 'cd'.repeat(32));
    const file = JSON.parse(vaultText(d)) as { secrets: Record<string, string> };
    writeFileSync(join(d, 'vault.json'), JSON.stringify({ ...file, secrets: { 'device-key': file.secrets['store-key'], 'store-key': file.secrets['device-key'] } }));
    const swapped = await KeyVault.open(d, pass('p'));
    await expect(swapped.get('store-key')).rejects.toThrow(StoreKeyError);
  });

  it('adopts a plain device key file from before the vault, and seals it once a passphrase is given', async () => {
    const d = dir();
    const { privateJwk } = generateKeyPair();
    writeFileSync(join(d, 'device-key.jwk'), JSON.stringify(privateJwk), { mode: 0o600 });
    const plain = await KeyVault.open(d, noProtection);
    expect(await plain.load()).toEqual(privateJwk);
    expect(existsSync(join(d, 'device-key.jwk'))).toBe(false);
    expect(plain.protection).toBe('none');

    const sealed = await KeyVault.open(d, pass('now protected'));
    expect(sealed.protection).toBe('passphrase');
    expect(vaultText(d)).not.toContain(privateJwk.d);
    expect(await sealed.load()).toEqual(privateJwk);
    // And never back: a protected vault does not open without its protector.
    await expect(KeyVault.open(d, noProtection)).rejects.toThrow(/protected by a passphrase/);
  });

  it('with the OS keychain: seals through it, adopts the desktop app’s old device-key.enc, and refuses a passphrase', async () => {
    const d = dir();
    const { privateJwk } = generateKeyPair();
    writeFileSync(join(d, 'device-key.enc'), await fakeKeychain.encrypt(JSON.stringify(privateJwk)));
    const v = await KeyVault.open(d, keychainProtector(fakeKeychain), fakeKeychain);
    expect(await v.load()).toEqual(privateJwk);
    expect(existsSync(join(d, 'device-key.enc'))).toBe(false);
    expect(vaultText(d)).not.toContain(privateJwk.d);
    expect(JSON.parse(vaultText(d)).protector).toEqual({ kind: 'os-keychain', backend: 'gnome-libsecret' });
    await expect(KeyVault.open(d, pass('x'))).rejects.toThrow(/OS keychain \(open this data with the Casebook app\)/);
  });

  it('refuses a vault file that is not one, naming it', async () => {
    const d = dir();
    writeFileSync(join(d, 'vault.json'), '{"format":"something else"}');
    await expect(KeyVault.open(d, noProtection)).rejects.toThrow(/vault\.json is not a Casebook vault/);
  });
});
