import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { listTrustedKeys } from '../trust/trust-store.ts';
import { withCarriedRotation } from '../trust/carried-rotation.ts';
import { ImportReader } from './import-reader.ts';
import { withCode } from '../../../shared/node/bundle/refusal.ts';
import { damagedTasks, repairTasks } from './task-integrity.ts';
import { freshWriter, updateWriter, type ImportWriter, type Installed, type VersionChanges } from './import-writer.ts';
import type { ImportOptions, ImportResult } from './import-options.ts';

/** Runs one short database step with no other core call interleaved (the core's writer, CoreContext.exclusive). */
export type Exclusive = <T>(step: () => T) => Promise<T>;
const inline: Exclusive = async (step) => step();

/**
 * Imports a bundle file, all or nothing, without holding the core for the whole import.
 *
 * A reader thread verifies the signature and manifest, then inflates, hashes and validates
 * the tasks; this side writes each validated batch in its own short transaction, where
 * nothing shows until the final commit (see import-writer.ts). Other calls run between
 * batches, so the UI stays responsive. A refusal at any point — including a hash mismatch
 * found only after the last task — discards what was staged; a crash leaves staged rows that
 * the next start removes. Imports must not overlap each other (the core runs them one at a time).
 */
export async function importBundle(ctx: CoreContext, path: string, opts: ImportOptions = {}, exclusive: Exclusive = inline): Promise<ImportResult> {
  const trusted = opts.trusted ?? (await exclusive(() => listTrustedKeys(ctx.db)));
  // A rotation statement carried by the bundle changes the trust store only when the store decided
  // trust; keys given for one import (the CLI's --trust) are never written to it.
  const persistRotation = opts.trusted === undefined;
  const reader = new ImportReader(path, trusted, ctx.now(), opts.limits);
  try {
    const header = await reader.header();
    const { manifest } = header;
    const rotated = <T>(step: () => T) => withCarriedRotation(ctx.db, persistRotation ? header.rotation : null, ctx.now(), step);
    const installed = await exclusive(
      () => ctx.db.prepare(`SELECT version, manifest_sha256 FROM bundles WHERE id = ? AND state = 'ready'`).get(manifest.bundleId) as Installed | undefined,
    );
    const result = (outcome: ImportResult['outcome'], changes: VersionChanges | null): ImportResult => ({
      bundleId: manifest.bundleId,
      version: manifest.version,
      taskCount: manifest.taskCount,
      outcome,
      changes,
    });
    if (installed && installed.version > manifest.version) {
      throw new ApiError('refused', withCode(`bundle ${manifest.bundleId}: version ${manifest.version} is older than the installed version ${installed.version} (rollback); nothing was changed`, 'rollback'));
    }
    if (installed && installed.version === manifest.version) {
      if (installed.manifest_sha256 === header.manifestSha256) {
        const repairedTasks = await repairFrom(ctx, reader, manifest.bundleId, exclusive);
        return await exclusive(() => rotated(() => ({ ...result('unchanged', null), ...(repairedTasks > 0 ? { repairedTasks } : {}) })));
      }
      throw new ApiError(
        'refused',
        withCode(`bundle ${manifest.bundleId}: version ${manifest.version} is already installed with different content; a changed bundle needs a new version number; nothing was changed`, 'version_conflict'),
      );
    }
    const common = { db: ctx.db, header, sample: opts.sample ?? false };
    const writer: ImportWriter = installed ? updateWriter(common, randomUUID(), installed) : freshWriter(common);
    await exclusive(() => writer.begin());
    try {
      let done = 0;
      for await (const { batch, bodies } of reader.batches()) {
        await exclusive(() => writer.insert(batch, bodies));
        done += batch.ids.length;
        opts.onProgress?.(done, manifest.taskCount);
      }
      const changes = await exclusive(() => rotated(() => writer.commit(ctx.now().toISOString())));
      ctx.emit({ type: 'bundles.changed' });
      return result(installed ? 'updated' : 'imported', changes);
    } catch (e) {
      await exclusive(() => writer.discard());
      throw e;
    }
  } finally {
    await reader.close();
  }
}

/** The same version again: the chance to put back any task whose stored body was damaged. */
async function repairFrom(ctx: CoreContext, reader: ImportReader, bundleId: string, exclusive: Exclusive): Promise<number> {
  const damaged = await exclusive(() => new Set([...damagedTasks(ctx.db, bundleId)].filter((d) => d.table === 'tasks').map((d) => d.taskId)));
  if (damaged.size === 0) return 0;
  let repaired = 0;
  for await (const { batch, bodies } of reader.batches()) repaired += await exclusive(() => repairTasks(ctx.db, bundleId, damaged, batch, bodies));
  return repaired;
}
