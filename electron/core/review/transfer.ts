import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BatchFileResult } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { startJob } from '../jobs/start-job.ts';
import { receiveBatch } from '../sync/receive.ts';
import type { SyncService } from '../sync/service.ts';

/**
 * Bringing work in from the UI, as jobs with progress: batch files carried by hand, and the
 * server's accepted batches. Each batch is verified with the server's rule and kept in one
 * transaction or not at all (receive.ts), so a refused file leaves nothing behind.
 */

export async function importBatchFilesJob(ctx: CoreContext, req: { files: readonly string[]; jobId?: string | undefined }): Promise<{ jobId: string; results: BatchFileResult[]; kept: number; refused: number }> {
  // Files are chained per device: in name order (device-seq.cbatch), seq 1 comes before seq 2.
  const files = [...req.files].sort((a, b) => basename(a).localeCompare(basename(b)));
  return startJob(ctx, { jobId: req.jobId, label: `Importing ${files.length} batch file${files.length === 1 ? '' : 's'}`, failure: 'The batch files could not be imported' }, async (progress) => {
    const results: BatchFileResult[] = [];
    for (const [i, file] of files.entries()) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        results.push({ file, ok: false, message: `cannot read the file: ${(e as Error).message}` });
        progress(i + 1, files.length);
        continue;
      }
      const r = await ctx.exclusive(() => receiveBatch(ctx.db, bytes, ctx.now().toISOString()));
      results.push(r.ok ? { file, ok: true, deviceId: r.deviceId, seq: r.seq, duplicate: r.duplicate } : { file, ok: false, message: r.message, ...(r.expectedSeq !== undefined ? { expectedSeq: r.expectedSeq } : {}) });
      progress(i + 1, files.length);
    }
    const kept = results.filter((r) => r.ok && !r.duplicate).length;
    return { result: { results, kept, refused: results.filter((r) => !r.ok).length }, done: files.length, total: files.length };
  });
}

export async function pullJob(ctx: CoreContext, sync: SyncService, req: { jobId?: string | undefined }): Promise<{ jobId: string; devices: number; received: number; failed: { deviceId: string; seq: number; message: string }[] }> {
  let last = { done: 0, total: 0 };
  return startJob(ctx, { jobId: req.jobId, label: 'Fetching reviews from the server', failure: 'The reviews could not be fetched' }, async (progress) => {
    const r = await sync.pullReviews((done, total) => {
      last = { done, total };
      progress(done, total);
    });
    return { result: r, done: last.done, total: last.total };
  });
}
