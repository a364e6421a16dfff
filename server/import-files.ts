import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PrivateJwk } from '../shared/node/keys.ts';
import { acceptBatchBytes, type AcceptResult } from './accept.ts';
import type { SyncStorage } from './storage/types.ts';

export interface FileImportResult {
  file: string;
  result: AcceptResult;
}

/**
 * Imports batch files carried by hand, through exactly the verification a network push gets.
 * Files are applied in name order (names carry the zero-padded seq), so one device's batches
 * arrive in sequence; a refused file is reported and the rest still tried.
 */
export async function importBatchFiles(storage: SyncStorage, serverKey: PrivateJwk, files: readonly string[], now: () => Date = () => new Date()): Promise<FileImportResult[]> {
  const ordered = [...files].sort((a, b) => basename(a).localeCompare(basename(b)));
  const out: FileImportResult[] = [];
  for (const file of ordered) {
    const bytes = await readFile(file);
    out.push({ file, result: await acceptBatchBytes(storage, serverKey, bytes, now) });
  }
  return out;
}
