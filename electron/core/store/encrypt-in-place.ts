import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { fsyncDir, fsyncFile } from '../../../shared/node/durable-file.ts';
import { StoreError } from './errors.ts';
import { openConnection, rekeyPlain, type StoreKey } from './sqlite-driver.ts';

/** The points a migration passes, in order: a test kills the process at each one. */
export const ENCRYPT_STEPS = ['checkpointed', 'copied', 'rekeyed', 'verified', 'synced', 'renamed'] as const;
export type EncryptStep = (typeof ENCRYPT_STEPS)[number];

export interface EncryptOptions {
  nativeBinding?: string;
  onStep?: (step: EncryptStep) => void;
}

export const encryptingCopy = (path: string): string => `${path}.encrypting`;

/** A copy left by an interrupted migration is never used: the plain store is still whole. */
export function removeInterruptedCopy(path: string): void {
  const tmp = encryptingCopy(path);
  for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
}

/**
 * Encrypts a plain store in place, the way sqlcipher_export is used: the plain store is only
 * read; a consistent copy (VACUUM INTO) is encrypted with the key, checked, fsynced, and then
 * renamed over the plain file in one atomic step. A kill at any moment leaves either the plain
 * store (and a stray copy, removed next time) or the encrypted one, never neither. The store
 * key must already be durable in the vault: after the rename nothing else can open the data.
 */
export function encryptInPlace(path: string, key: StoreKey, opts: EncryptOptions = {}): void {
  const step = opts.onStep ?? (() => undefined);
  const native = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const tmp = encryptingCopy(path);
  removeInterruptedCopy(path);

  const plain = openConnection(path, { ...native, fileMustExist: true });
  let counts: Map<string, number>;
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    step('checkpointed');
    counts = rowCounts(plain);
    closeSync(openSync(tmp, 'w', 0o600));
    plain.prepare('VACUUM INTO ?').run(tmp);
  } finally {
    plain.close();
  }
  step('copied');

  const copy = openConnection(tmp, native);
  try {
    rekeyPlain(copy, key);
  } finally {
    copy.close();
  }
  step('rekeyed');

  const check = openConnection(tmp, { ...native, key });
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    const copied = rowCounts(check);
    const same = copied.size === counts.size && [...copied].every(([t, n]) => counts.get(t) === n);
    if (integrity !== 'ok' || !same) throw new StoreError(`${path}: the encrypted copy did not match the plain store (${String(integrity)}); the plain store was kept as it was.`, path);
  } finally {
    check.close();
  }
  step('verified');

  fsyncFile(tmp);
  step('synced');
  // The plain store's WAL was checkpointed and removed when it closed; one holding frames now
  // belongs to another process still writing, whose work the rename would drop.
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    removeInterruptedCopy(path);
    throw new StoreError(`${path} is open in another Casebook process; close it and start again. The store was kept as it was.`, path);
  }
  rmSync(wal, { force: true });
  rmSync(`${path}-shm`, { force: true });
  renameSync(tmp, path);
  fsyncDir(dirname(path));
  step('renamed');
}

function rowCounts(db: Database): Map<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return new Map(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get() as number) ?? 0]));
}
