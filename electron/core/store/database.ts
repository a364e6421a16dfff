import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { damagedMessage, isCorruption, NewerDatabaseError, RECOVERY_ADVICE, StoreDamagedError, StoreKeyError } from './errors.ts';
import { openConnection, PAGE_SIZE, type StoreKey } from './sqlite-driver.ts';

export { NewerDatabaseError } from './errors.ts';

export interface OpenOptions {
  /** Path to a native build of the SQLite driver: Electron and Node need different ones. */
  nativeBinding?: string;
  /** The store key of an encrypted store; absent for a plain one. */
  key?: StoreKey;
  migrations?: readonly Migration[];
}

/** The store's files: SQLite gives the -wal and -shm files the main file's permissions. */
export const storeFiles = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`];

/**
 * Opens (creating if needed) the workstation store with the pragmas durability depends on,
 * checks it for damage (`quick_check`: every page read, each B-tree walked, no index
 * cross-check), then brings the schema up to date. A database written by a newer app is
 * refused rather than guessed at; a damaged one is refused with what to do about it.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Database {
  // Created 0600 before SQLite touches it, so no other user can ever read it, nor its WAL.
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  const db = openConnection(path, { ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}), ...(opts.key ? { key: opts.key } : {}) });
  try {
    // Only takes effect when the file is created. 16 KiB pages hold a typical task (2-4 KB of
    // JSON) in its B-tree leaf without overflow pages, which roughly halves bulk import time.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    checkQuickly(db, path, opts.key !== undefined);
    db.pragma('journal_mode = WAL');
    // better-sqlite3 builds with WAL synchronous=NORMAL, which can lose the last commits on power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    tightenPermissions(path);
    migrate(db, opts.migrations ?? MIGRATIONS, path);
    return db;
  } catch (e) {
    db.close();
    if (isCorruption(e)) throw new StoreDamagedError(damagedMessage(path, (e as Error).message), path);
    throw e;
  }
}

function checkQuickly(db: Database, path: string, encrypted: boolean): void {
  let result: string;
  try {
    result = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).join('; ');
  } catch (e) {
    if (encrypted && (e as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new StoreKeyError(
        `${path} cannot be read with this workstation's key: the file is damaged, or the vault.json beside it belongs to another store. Nothing was changed. ${RECOVERY_ADVICE}`,
        path,
      );
    }
    throw e;
  }
  if (result !== 'ok') throw new StoreDamagedError(damagedMessage(path, `SQLite quick_check: ${result}`), path);
}

/** 0600 for the store's files, also for a store made before this rule (0644 by the umask). */
export function tightenPermissions(path: string): void {
  for (const f of storeFiles(path)) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: readonly Migration[], path = db.name): void {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new NewerDatabaseError(
      `${path} was written by a newer Casebook (schema ${current}; this app knows up to ${latest}). Update Casebook; nothing was changed.`,
      path,
    );
  }
  for (const m of migrations.slice(current)) {
    if (m.version !== schemaVersion(db) + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${schemaVersion(db) + 1}`);
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
