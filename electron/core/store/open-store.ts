import { chmodSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { KeyVault } from '../vault/key-vault.ts';
import { keychainProtector, noProtection, passphraseProtector, type Keychain, type Protector } from '../vault/protectors.ts';
import { openDatabase } from './database.ts';
import { encryptInPlace, removeInterruptedCopy, type EncryptStep } from './encrypt-in-place.ts';
import { StoreKeyError } from './errors.ts';
import type { Migration } from './migrations/index.ts';
import { fileKind } from './sqlite-driver.ts';

export const STORE_FILE = 'casebook.sqlite';

/**
 * How a workstation's secrets and store are protected. The hosts choose: Electron the OS
 * keychain, the browser host and the CLI a passphrase. `none` (a plain store, its device key in
 * a 0600 file) is what tests and benchmarks open, and what an explicit opt-out gives.
 */
export type StoreProtection = { kind: 'none' } | { kind: 'passphrase'; passphrase: string } | { kind: 'os-keychain'; keychain: Keychain };

export function protectorFor(p: StoreProtection): Protector {
  if (p.kind === 'passphrase') return passphraseProtector(p.passphrase);
  if (p.kind === 'os-keychain') return keychainProtector(p.keychain);
  return noProtection;
}

export interface OpenStoreOptions {
  nativeBinding?: string;
  migrations?: readonly Migration[];
  /** Where a migration of a plain store has got to (for the kill test). */
  onEncryptStep?: (step: EncryptStep | 'key-stored') => void;
}

export interface OpenedStore {
  db: Database;
  vault: KeyVault;
  path: string;
  encrypted: boolean;
}

/** The data folder is the user's alone, also one made before this rule (0755 by the umask). */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

/**
 * Opens a workstation's vault and store under `protection`: a new store is created encrypted
 * with a fresh random key; a plain store is encrypted in place (its key stored durably first);
 * an encrypted one opens with the key from the vault. Under `none`, an encrypted store is refused.
 */
export async function openStore(dataDir: string, protection: StoreProtection, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  prepareDataDir(dataDir);
  const path = join(dataDir, STORE_FILE);
  removeInterruptedCopy(path);
  const vault = await KeyVault.open(dataDir, protectorFor(protection), protection.kind === 'os-keychain' ? protection.keychain : null);
  const kind = fileKind(path);
  const native = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const migrations = opts.migrations ? { migrations: opts.migrations } : {};
  if (protection.kind === 'none') {
    if (kind === 'encrypted') {
      throw new StoreKeyError(`${path} is encrypted and no passphrase was given: set CASEBOOK_PASSPHRASE, or run the command in a terminal to type it. Nothing was changed.`, path);
    }
    return { db: openDatabase(path, { ...native, ...migrations }), vault, path, encrypted: false };
  }
  let key = await vault.get('store-key');
  if (key === null) {
    if (kind === 'encrypted') throw new StoreKeyError(`${path} is encrypted but ${vault.path} holds no key for it. Restore the data folder from a backup.`, path);
    key = randomBytes(32).toString('hex');
    await vault.put('store-key', key);
  }
  opts.onEncryptStep?.('key-stored');
  if (kind === 'plain') encryptInPlace(path, key, { ...native, ...(opts.onEncryptStep ? { onStep: opts.onEncryptStep } : {}) });
  return { db: openDatabase(path, { ...native, ...migrations, key }), vault, path, encrypted: true };
}
