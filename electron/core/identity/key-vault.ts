import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
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
