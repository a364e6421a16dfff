import { closeSync, openSync, readSync } from 'node:fs';
import SqliteCipher from 'better-sqlite3-multiple-ciphers';
import type { Database } from 'better-sqlite3';

/**
 * The workstation store's one SQLite driver: better-sqlite3's API over SQLite3 Multiple Ciphers,
 * configured for SQLCipher 4 compatibility (AES-256-CBC, HMAC-SHA512 per page) with a raw 256-bit
 * key, so no key derivation runs when the store opens: the key was derived once, in the vault.
 * Without a key the same driver reads and writes plain SQLite.
 *
 * 16 KiB pages as for plain stores (a task's JSON fits one B-tree leaf); SQLCipher must be told
 * the page size before the key (`cipher_page_size` in SQLCipher, `legacy_page_size` here).
 */
export const PAGE_SIZE = 16384;
const CIPHER_SETUP = ["cipher = 'sqlcipher'", 'legacy = 4', `legacy_page_size = ${PAGE_SIZE}`];

/** A 32-byte store key, as 64 hex digits. */
export type StoreKey = string;

export interface ConnectionOptions {
  /** Path to a native build of the driver: Electron and Node need different ones. */
  nativeBinding?: string;
  /** Absent for a plain store. */
  key?: StoreKey;
  readonly?: boolean;
  /** Fail instead of creating the file. */
  fileMustExist?: boolean;
}

export function openConnection(path: string, opts: ConnectionOptions = {}): Database {
  const db: Database = new SqliteCipher(path, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true } : {}),
    ...(opts.fileMustExist ? { fileMustExist: true } : {}),
  });
  if (opts.key !== undefined) {
    try {
      applyKey(db, opts.key);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  return db;
}

export function applyKey(db: Database, key: StoreKey): void {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('a store key is 32 bytes as 64 lower-case hex digits');
  for (const p of CIPHER_SETUP) db.pragma(p);
  db.pragma(`key = "x'${key}'"`);
}

/** Encrypts a plain database file in place (rollback-journal mode only; used on a private copy). */
export function rekeyPlain(db: Database, key: StoreKey): void {
  for (const p of CIPHER_SETUP) db.pragma(p);
  db.pragma(`rekey = "x'${key}'"`);
}

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What a store file holds, from its first 16 bytes: SQLCipher leaves no plain header. */
export function fileKind(path: string): 'missing' | 'empty' | 'plain' | 'encrypted' {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'empty';
    return n === 16 && head.equals(PLAIN_HEADER) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}
