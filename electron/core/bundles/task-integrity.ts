import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/contract/index.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import type { BatchMessage } from './import-protocol.ts';

/**
 * Every stored task keeps the SHA-256 of the exact line its signed bundle carried. A body that
 * no longer hashes to it (a changed digit, a bad sector SQLite did not notice) is not the
 * content anyone signed, so it is refused on read rather than shown or annotated.
 */
export function verifyTaskBody(dataDir: string, bundleId: string, taskId: string, body: string, hash: string): void {
  if (sha256Hex(body) === hash) return;
  throw new ApiError(
    'damaged',
    `Task "${taskId}" of bundle "${bundleId}" no longer matches the content its bundle signed (its SHA-256 differs) in ${join(dataDir, 'casebook.sqlite')}. ` +
      'Import the same bundle file again to repair it, or restore the data folder from a backup; `casebook doctor` lists every damaged task.',
  );
}

export interface DamagedTask {
  table: 'tasks' | 'task_revisions';
  bundleId: string;
  taskId: string;
  bundleVersion: number;
}

/** Re-hashes every stored task body (current and kept older versions), one row at a time. */
export function* damagedTasks(db: Database, bundleId: string | null = null): Generator<DamagedTask> {
  for (const table of ['tasks', 'task_revisions'] as const) {
    const rows = db
      .prepare(`SELECT bundle_id, task_id, bundle_version, body, hash FROM ${table} WHERE @b IS NULL OR bundle_id = @b`)
      .iterate({ b: bundleId }) as IterableIterator<{ bundle_id: string; task_id: string; bundle_version: number; body: string; hash: string }>;
    for (const r of rows) {
      if (sha256Hex(r.body) !== r.hash) yield { table, bundleId: r.bundle_id, taskId: r.task_id, bundleVersion: r.bundle_version };
    }
  }
}

/**
 * Re-importing the installed version of a bundle puts back the signed line of each damaged
 * task: only where the file's line hashes to the hash stored at import, so nothing else changes.
 */
export function repairTasks(db: Database, bundleId: string, damaged: ReadonlySet<string>, batch: BatchMessage, bodies: Buffer): number {
  const update = db.prepare('UPDATE tasks SET body = ? WHERE bundle_id = ? AND task_id = ? AND hash = ?');
  let repaired = 0;
  let start = 0;
  db.transaction(() => {
    for (let i = 0; i < batch.ids.length; i++) {
      const end = batch.ends[i]!;
      const id = batch.ids[i]!;
      if (damaged.has(id)) {
        const line = bodies.subarray(start, end);
        repaired += update.run(line.toString('utf8'), bundleId, id, sha256Hex(line)).changes;
      }
      start = end;
    }
  }).immediate();
  return repaired;
}
