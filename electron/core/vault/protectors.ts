import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/**
 * What seals the vault's secrets. `none` keeps them in clear (a 0600 file, as a plain store's
 * device key always was); `passphrase` derives a key with scrypt; `os-keychain` hands them to
 * the OS keychain through Electron's safeStorage (the core never imports electron: the shell
 * passes a Keychain in).
 */
export const ProtectorParams = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('passphrase'),
    kdf: z.literal('scrypt'),
    salt: z.string().regex(/^[A-Za-z0-9_-]{22,}$/),
    N: z.number().int().min(2 ** 14).max(2 ** 22),
    r: z.number().int().min(8).max(32),
    p: z.number().int().min(1).max(16),
  }),
  z.strictObject({ kind: z.literal('os-keychain'), backend: z.string() }),
]);
export type ProtectorParams = z.infer<typeof ProtectorParams>;
export type ProtectorKind = ProtectorParams['kind'];

/** A protector with its key at hand: seals and opens one named secret at a time. */
export interface Sealer {
  readonly params: ProtectorParams;
  seal(name: string, plain: string): Promise<string>;
  /** Throws WrongSecretError when the sealed text was not made by this protector and key. */
  open(name: string, sealed: string): Promise<string>;
}

export interface Protector {
  readonly kind: ProtectorKind;
  /** Opens the protector with the vault's stored parameters, or makes new ones for a new vault. */
  unlock(params: ProtectorParams | null): Promise<Sealer>;
}

export class WrongSecretError extends Error {
  override name = 'WrongSecretError';
}

/** What Electron's safeStorage offers, asynchronously (the core runs in a utility process). */
export interface Keychain {
  /** safeStorage.getSelectedStorageBackend() on Linux, the platform name elsewhere. */
  readonly backend: string;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

export const noProtection: Protector = {
  kind: 'none',
  unlock: async () => ({
    params: { kind: 'none' },
    seal: async (_name, plain) => plain,
    open: async (_name, sealed) => sealed,
  }),
};

/** OWASP's scrypt minimum (128 MiB, about a second here): paid once per unlock, never per query. */
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

function scrypt(passphrase: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 32 * 1024 * 1024 };
  return new Promise((ok, fail) => scryptCb(passphrase.normalize('NFC'), salt, 32, opts, (e, k) => (e ? fail(e) : ok(k))));
}

/** AES-256-GCM with the secret's name as associated data, so sealed values cannot be swapped. */
function aesGcm(kek: Buffer): Pick<Sealer, 'seal' | 'open'> {
  const aad = (name: string) => Buffer.from(`casebook-vault/1 ${name}`, 'utf8');
  return {
    seal: async (name, plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', kek, iv).setAAD(aad(name));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
    },
    open: async (name, sealed) => {
      const raw = Buffer.from(sealed, 'base64');
      if (raw.length < 28) throw new WrongSecretError('sealed value too short');
      const d = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12)).setAAD(aad(name));
      d.setAuthTag(raw.subarray(raw.length - 16));
      try {
        return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
      } catch {
        throw new WrongSecretError('the passphrase does not open this vault');
      }
    },
  };
}

export function passphraseProtector(passphrase: string, cost: { N: number; r: number; p: number } = SCRYPT): Protector {
  if (passphrase.length === 0) throw new Error('an empty passphrase protects nothing');
  return {
    kind: 'passphrase',
    unlock: async (params) => {
      const p =
        params?.kind === 'passphrase' ? params : { kind: 'passphrase' as const, kdf: 'scrypt' as const, salt: randomBytes(16).toString('base64url'), ...cost };
      const kek = await scrypt(passphrase, Buffer.from(p.salt, 'base64url'), p);
      return { params: p, ...aesGcm(kek) };
    },
  };
}

export function keychainProtector(keychain: Keychain): Protector {
  return {
    kind: 'os-keychain',
    unlock: async () => ({
      params: { kind: 'os-keychain', backend: keychain.backend },
      seal: async (name, plain) => (await keychain.encrypt(`${name}\n${plain}`)).toString('base64'),
      open: async (name, sealed) => {
        let text: string;
        try {
          text = await keychain.decrypt(Buffer.from(sealed, 'base64'));
        } catch (e) {
          throw new WrongSecretError(`the OS keychain did not open it (${(e as Error).message})`);
        }
        if (!text.startsWith(`${name}\n`)) throw new WrongSecretError(`sealed value is not "${name}"`);
        return text.slice(name.length + 1);
      },
    }),
  };
}
