import { basename } from 'node:path';
import type { CoreContext } from '../context.ts';
import { startJob } from '../jobs/start-job.ts';
import type { HandlerMap } from './types.ts';

/** An import reports every batch it stages; the UI needs no more than ten updates a second. */
const PROGRESS_MS = 100;

export function importHandlers(ctx: CoreContext): HandlerMap<'bundles.importFile'> {
  return {
    'bundles.importFile': (req) =>
      startJob(ctx, { jobId: req.jobId, label: `Importing ${basename(req.path)}`, failure: 'the import failed', minIntervalMs: PROGRESS_MS }, async (progress) => {
        const r = await ctx.importBundle(req.path, { onProgress: progress });
        return { result: r, done: r.taskCount, total: r.taskCount };
      }),
  };
}
