import { join } from 'node:path';
import { KeyVault } from '../vault/key-vault.ts';
import { damagedTasks, type DamagedTask } from '../bundles/task-integrity.ts';
import { RECOVERY_ADVICE, StoreKeyError } from './errors.ts';
import { protectorFor, STORE_FILE, type StoreProtection } from './open-store.ts';
import { fileKind, openConnection } from './sqlite-driver.ts';

export interface DoctorReport {
  path: string;
  encrypted: boolean;
  schemaVersion: number | null;
  /** SQLite's integrity_check findings; empty when the file is sound. */
  integrity: string[];
  damagedTasks: DamagedTask[];
  ok: boolean;
  advice: string | null;
}

const MAX_FINDINGS = 100;

/**
 * The full check behind `casebook doctor`: SQLite's integrity_check (every page, every index
 * against its table) and every stored task re-hashed against the SHA-256 kept at import. Reads
 * only, through its own read-only connection, so it can run beside the app.
 */
export async function examineStore(dataDir: string, protection: StoreProtection, nativeBinding?: string): Promise<DoctorReport> {
  const path = join(dataDir, STORE_FILE);
  const kind = fileKind(path);
  if (kind === 'missing') throw new StoreKeyError(`${dataDir}: no Casebook data here (${STORE_FILE} is missing)`, path);
  const key = protection.kind === 'none' ? null : await KeyVault.readSecret(dataDir, protectorFor(protection), 'store-key');
  if (kind === 'encrypted' && key === null) {
    throw new StoreKeyError(`${path} is encrypted: give its passphrase (CASEBOOK_PASSPHRASE, or type it when asked) to check it.`, path);
  }
  const report: DoctorReport = { path, encrypted: kind === 'encrypted', schemaVersion: null, integrity: [], damagedTasks: [], ok: false, advice: null };
  let db;
  try {
    db = openConnection(path, { readonly: true, fileMustExist: true, ...(kind === 'encrypted' && key ? { key } : {}), ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (e) {
    report.integrity.push(`cannot open: ${(e as Error).message}`);
    return finish(report);
  }
  try {
    report.schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const rows = (db.pragma(`integrity_check(${MAX_FINDINGS})`) as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (!(rows.length === 1 && rows[0] === 'ok')) report.integrity.push(...rows);
    for (const d of damagedTasks(db)) report.damagedTasks.push(d);
  } catch (e) {
    report.integrity.push((e as Error).message);
  } finally {
    db.close();
  }
  return finish(report);
}

function finish(r: DoctorReport): DoctorReport {
  r.ok = r.integrity.length === 0 && r.damagedTasks.length === 0;
  if (r.ok) return r;
  r.advice =
    r.integrity.length === 0
      ? 'Import the bundle file of each damaged task again (the same version puts its signed content back), or restore the data folder from a backup.'
      : RECOVERY_ADVICE;
  return r;
}
