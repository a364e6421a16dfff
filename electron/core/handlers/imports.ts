import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import type { HandlerMap } from './types.ts';

/** Reports a job's progress to the UI at most every PROGRESS_MS, plus its start and end. */
const PROGRESS_MS = 100;

export function importHandlers(ctx: CoreContext): HandlerMap<'bundles.importFile'> {
  return {
    'bundles.importFile': async (req) => {
      const jobId = randomUUID();
      const label = `Importing ${basename(req.path)}`;
      let last = 0;
      const progress = (done: number, total: number | null, finished = false, error: string | null = null) =>
        ctx.emit({ type: 'job.progress', progress: { jobId, label, done, total, finished, error } });
      progress(0, null);
      try {
        const r = await ctx.importBundle(req.path, {
          onProgress: (done, total) => {
            if (Date.now() - last < PROGRESS_MS) return;
            last = Date.now();
            progress(done, total);
          },
        });
        progress(r.taskCount, r.taskCount, true);
        return r;
      } catch (e) {
        progress(0, null, true, e instanceof ApiError ? e.message : 'the import failed');
        throw e;
      }
    },
  };
}
