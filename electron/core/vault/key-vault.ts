import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../../../shared/node/durable-file.ts';
import { PrivateJwk } from '../../../shared/node/keys.ts';
import { StoreKeyError } from '../store/errors.ts';
import { noProtection, ProtectorParams, WrongSecretError, type Keychain, type Protector, type ProtectorKind, type Sealer } from './protectors.ts';

/** The named secrets a workstation keeps. */
export type SecretName = 'device-key' | 'store-key';

export const VAULT_FILE = 'vault.json';
const CHECK = 'casebook';
const VaultFile = z.strictObject({
  format: z.literal('casebook-vault/1'),
  protector: ProtectorParams,
  /** "casebook", sealed: tells a wrong passphrase from a damaged secret. */
  check: z.string(),
  secrets: z.partialRecord(z.enum(['device-key', 'store-key']), z.string()),
});
type VaultFile = z.infer<typeof VaultFile>;

/** Files from before the vault: the device key alone, in clear (0600) or sealed by safeStorage. */
const LEGACY_PLAIN = 'device-key.jwk';
const LEGACY_KEYCHAIN = 'device-key.enc';

const WHO_HOLDS: Record<ProtectorKind, string> = {
  none: 'kept in clear',
  passphrase: 'protected by a passphrase (give it with CASEBOOK_PASSPHRASE, or type it when asked)',
  'os-keychain': "protected by the desktop app's OS keychain (open this data with the Casebook app)",
};

/**
 * The workstation's one key vault: named secrets (the device's signing key, the store key) in
 * `vault.json`, each sealed by the protector this workstation uses. Written durably (temporary
 * file, fsync, rename, directory fsync) before anything that depends on a secret is committed.
 * A vault made without protection is sealed the first time a protector is given.
 */
export class KeyVault {
  private constructor(
    readonly dataDir: string,
    private file: VaultFile,
    private sealer: Sealer,
    private readonly legacyKeychain: Keychain | null,
  ) {}

  get path(): string {
    return join(this.dataDir, VAULT_FILE);
  }

  get protection(): ProtectorKind {
    return this.file.protector.kind;
  }

  static async open(dataDir: string, protector: Protector, legacyKeychain: Keychain | null = null): Promise<KeyVault> {
    const path = join(dataDir, VAULT_FILE);
    let vault: KeyVault;
    if (!existsSync(path)) {
      const sealer = await protector.unlock(null);
      vault = new KeyVault(dataDir, { format: 'casebook-vault/1', protector: sealer.params, check: await sealer.seal('check', CHECK), secrets: {} }, sealer, legacyKeychain);
      vault.save();
    } else {
      chmodSync(path, 0o600);
      const file = readVaultFile(path);
      const stored = file.protector.kind;
      if (stored === protector.kind) vault = new KeyVault(dataDir, file, await unlockOrRefuse(path, protector, file), legacyKeychain);
      else if (stored === 'none') vault = await new KeyVault(dataDir, file, await noProtection.unlock(null), legacyKeychain).reseal(protector);
      else throw new StoreKeyError(`${path}: this workstation's keys are ${WHO_HOLDS[stored]}; they cannot be opened here. Nothing was changed.`, path);
    }
    await vault.adoptLegacyDeviceKey();
    return vault;
  }

  /**
   * One secret, read without writing anything (no new vault, no resealing, no legacy files
   * adopted): for doctor and backup, which may run beside the app that owns the vault.
   */
  static async readSecret(dataDir: string, protector: Protector, name: SecretName): Promise<string | null> {
    const path = join(dataDir, VAULT_FILE);
    if (!existsSync(path)) return null;
    const file = readVaultFile(path);
    const stored = file.protector.kind;
    if (stored !== 'none' && stored !== protector.kind) {
      throw new StoreKeyError(`${path}: this workstation's keys are ${WHO_HOLDS[stored]}; they cannot be opened here. Nothing was changed.`, path);
    }
    const sealer = stored === 'none' ? await noProtection.unlock(null) : await unlockOrRefuse(path, protector, file);
    return new KeyVault(dataDir, file, sealer, null).get(name);
  }

  async get(name: SecretName): Promise<string | null> {
    const sealed = this.file.secrets[name];
    if (sealed === undefined) return null;
    try {
      return await this.sealer.open(name, sealed);
    } catch (e) {
      if (e instanceof WrongSecretError) throw new StoreKeyError(`${this.path}: the ${name} cannot be opened (${e.message}). Restore the data folder from a backup.`, this.path);
      throw e;
    }
  }

  async put(name: SecretName, value: string): Promise<void> {
    this.file = { ...this.file, secrets: { ...this.file.secrets, [name]: await this.sealer.seal(name, value) } };
    this.save();
  }

  /** Whether `protector` opens this vault (an unlock with the passphrase, or with the OS session). */
  async opensWith(protector: Protector): Promise<boolean> {
    if (protector.kind !== this.file.protector.kind) return false;
    try {
      const sealer = await protector.unlock(this.file.protector);
      return (await sealer.open('check', this.file.check)) === CHECK;
    } catch (e) {
      if (e instanceof WrongSecretError) return false;
      throw e;
    }
  }

  /** The device's Ed25519 signing key, or null before first-run setup. */
  async load(): Promise<PrivateJwk | null> {
    const text = await this.get('device-key');
    return text === null ? null : PrivateJwk.parse(JSON.parse(text));
  }

  async store(key: PrivateJwk): Promise<void> {
    await this.put('device-key', JSON.stringify(key));
  }

  private save(): void {
    writeFileDurably(this.path, JSON.stringify(this.file, null, 2) + '\n', 0o600);
  }

  private async reseal(protector: Protector): Promise<KeyVault> {
    const clear = await Promise.all(Object.entries(this.file.secrets).map(async ([name, sealed]) => [name as SecretName, await this.sealer.open(name, sealed)] as const));
    this.sealer = await protector.unlock(null);
    const secrets: VaultFile['secrets'] = {};
    for (const [name, value] of clear) secrets[name] = await this.sealer.seal(name, value);
    this.file = { format: 'casebook-vault/1', protector: this.sealer.params, check: await this.sealer.seal('check', CHECK), secrets };
    this.save();
    return this;
  }

  /** Moves a device key file from before the vault into it, then removes the file. */
  private async adoptLegacyDeviceKey(): Promise<void> {
    const plain = join(this.dataDir, LEGACY_PLAIN);
    const sealed = join(this.dataDir, LEGACY_KEYCHAIN);
    if (this.file.secrets['device-key'] === undefined) {
      if (existsSync(plain)) await this.store(PrivateJwk.parse(JSON.parse(readFileSync(plain, 'utf8'))));
      else if (existsSync(sealed)) {
        if (!this.legacyKeychain) {
          throw new StoreKeyError(`${sealed} was sealed by the desktop app's OS keychain; open this data with the Casebook app once first. Nothing was changed.`, sealed);
        }
        await this.store(PrivateJwk.parse(JSON.parse(await this.legacyKeychain.decrypt(readFileSync(sealed)))));
      }
    }
    // Only once the vault holding the key is on disk.
    if (this.file.secrets['device-key'] !== undefined) {
      rmSync(plain, { force: true });
      rmSync(sealed, { force: true });
    }
  }
}

function readVaultFile(path: string): VaultFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new StoreKeyError(`${path} is not readable (${(e as Error).message}). Restore the data folder from a backup.`, path);
  }
  const r = VaultFile.safeParse(raw);
  if (!r.success) throw new StoreKeyError(`${path} is not a Casebook vault (${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? ''}). Restore the data folder from a backup.`, path);
  return r.data;
}

async function unlockOrRefuse(path: string, protector: Protector, file: VaultFile): Promise<Sealer> {
  const sealer = await protector.unlock(file.protector);
  try {
    if ((await sealer.open('check', file.check)) === CHECK) return sealer;
  } catch (e) {
    if (!(e instanceof WrongSecretError)) throw e;
  }
  const what = protector.kind === 'passphrase' ? 'That passphrase is wrong' : 'The OS keychain did not open it';
  throw new StoreKeyError(`${what}: ${path} stays locked. Nothing was changed.`, path);
}
