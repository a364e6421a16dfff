import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PrivateJwk } from '../../../shared/node/keys.ts';

/**
 * Where the device's private key lives. Outside Electron it is a 0600 file in the data
 * directory; the Electron host supplies a vault that encrypts with safeStorage.
 */
export interface KeyVault {
  load(): Promise<PrivateJwk | null>;
  store(key: PrivateJwk): Promise<void>;
}

export class FileKeyVault implements KeyVault {
  private readonly path: string;
  constructor(dataDir: string) {
    this.path = join(dataDir, 'device-key.jwk');
  }
  async load(): Promise<PrivateJwk | null> {
    if (!existsSync(this.path)) return null;
    return PrivateJwk.parse(JSON.parse(await readFile(this.path, 'utf8')));
  }
  async store(key: PrivateJwk): Promise<void> {
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(key) + '\n', { mode: 0o600, flag: 'w' });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}

/** What Electron's safeStorage offers, passed in so the core never imports electron. */
export interface StringCipher {
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

/**
 * The device key encrypted at rest by the OS keychain (Electron's safeStorage), in a 0600 file.
 * The Electron shell constructs it with `safeStorage` once `isEncryptionAvailable()` is true:
 *   new EncryptedFileKeyVault(dataDir, safeStorage)
 * If a plain key file from a non-Electron run exists, it is migrated and the plain file removed.
 */
export class EncryptedFileKeyVault implements KeyVault {
  private readonly path: string;
  private readonly plain: FileKeyVault;
  constructor(
    private readonly dataDir: string,
    private readonly cipher: StringCipher,
  ) {
    this.path = join(dataDir, 'device-key.enc');
    this.plain = new FileKeyVault(dataDir);
  }
  async load(): Promise<PrivateJwk | null> {
    if (existsSync(this.path)) return PrivateJwk.parse(JSON.parse(this.cipher.decryptString(await readFile(this.path))));
    const legacy = await this.plain.load();
    if (!legacy) return null;
    await this.store(legacy);
    await rm(join(this.dataDir, 'device-key.jwk'), { force: true });
    return legacy;
  }
  async store(key: PrivateJwk): Promise<void> {
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, this.cipher.encryptString(JSON.stringify(key)), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}
