import type { Database } from 'better-sqlite3';
import { mkdirSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_FILE_EXTENSION } from '../../../shared/domain/index.ts';

export function batchFileName(deviceId: string, seq: number): string {
  // Zero-padded so a plain sort of file names is seq order.
  return `${deviceId}-${String(seq).padStart(8, '0')}${BATCH_FILE_EXTENSION}`;
}

/**
 * Writes signed batches as files (the exact envelope bytes, the same as a network push sends)
 * for carrying by hand. Each file is written to a temporary name, flushed and renamed, so a
 * stick pulled out mid-copy leaves no half file under a real name.
 */
export function exportBatchFiles(db: Database, deviceId: string, outDir: string, range: { fromSeq?: number; toSeq?: number } = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  const rows = db
    .prepare('SELECT seq, envelope FROM sync_batch_files WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .all(range.fromSeq ?? 1, range.toSeq ?? Number.MAX_SAFE_INTEGER) as { seq: number; envelope: Buffer }[];
  const files: string[] = [];
  for (const r of rows) {
    const path = join(outDir, batchFileName(deviceId, r.seq));
    const tmp = `${path}.partial`;
    writeFileSync(tmp, r.envelope);
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    files.push(path);
  }
  return files;
}
