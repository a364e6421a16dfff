import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';
}

export interface OpenOptions {
  /** Path to a better-sqlite3 native build: Electron and Node need different ones. */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the workstation store with the pragmas durability depends on,
 * then brings the schema up to date. A database written by a newer app is refused rather
 * than guessed at.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Database {
  const db = new BetterSqlite3(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    // Only takes effect when the file is created. 16 KiB pages hold a typical task (2-4 KB of
    // JSON) in its B-tree leaf without overflow pages, which roughly halves bulk import time.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    // better-sqlite3 builds with WAL synchronous=NORMAL, which can lose the last commits on power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, opts.migrations ?? MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new NewerDatabaseError(
      `this data was written by a newer Casebook (schema ${current}; this app knows up to ${latest}). Update Casebook; nothing was changed.`,
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
