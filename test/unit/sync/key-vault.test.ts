import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EncryptedFileKeyVault, FileKeyVault, type StringCipher } from '../../../electron/core/identity/key-vault.ts';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { tempDir } from '../../integration/sync/helpers.ts';

/** Stands in for Electron's safeStorage: any reversible transform shows the key is not stored in clear. */
const rot: StringCipher = {
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

describe('device key vaults', () => {
  it('the encrypted vault stores the key only encrypted (0600), and migrates a plain key file', async () => {
    const tmp = tempDir();
    try {
      const { privateJwk } = generateKeyPair();
      await new FileKeyVault(tmp.dir).store(privateJwk);
      const vault = new EncryptedFileKeyVault(tmp.dir, rot);
      expect(await vault.load()).toEqual(privateJwk);
      expect(existsSync(`${tmp.dir}/device-key.jwk`)).toBe(false);
      const raw = readFileSync(`${tmp.dir}/device-key.enc`);
      expect(raw.toString('utf8')).not.toContain(privateJwk.d);
      expect(statSync(`${tmp.dir}/device-key.enc`).mode & 0o777).toBe(0o600);
      expect(await new EncryptedFileKeyVault(tmp.dir, rot).load()).toEqual(privateJwk);
    } finally {
      tmp.cleanup();
    }
  });
});
