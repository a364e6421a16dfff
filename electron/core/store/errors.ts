/**
 * Store problems a person must act on. Each message names the file and what to do; the hosts
 * print it as it is (the CLI on one line, the app in a dialog), never with a stack trace.
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The store was written by a newer app: refused untouched. */
export class NewerDatabaseError extends StoreError {
  override name = 'NewerDatabaseError';
}

/** SQLite or the content hashes found damage. */
export class StoreDamagedError extends StoreError {
  override name = 'StoreDamagedError';
}

/** The store cannot be unlocked: wrong passphrase, missing key, or the key is kept elsewhere. */
export class StoreKeyError extends StoreError {
  override name = 'StoreKeyError';
}

export const RECOVERY_ADVICE =
  'Restore the data folder from a backup (`casebook restore`), or move it aside and re-import your bundle files; work that was synced can be fetched again from the server.';

export function damagedMessage(path: string, detail: string): string {
  return `${path} is damaged (${detail}). Nothing more was written to it. ${RECOVERY_ADVICE}`;
}

/** SQLite's own words for a damaged file (a flipped page, a failed page HMAC, a torn header). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}
