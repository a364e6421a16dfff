import { basename } from 'node:path';
import type { CoreContext } from '../context.ts';
import { bundleDetail, listBundles } from '../bundles/queries.ts';
import { bundleVersions, flaggedAnnotations } from '../bundles/versions.ts';
import { requireIdentity, getIdentity } from '../identity/identity.ts';
import { startJob } from '../jobs/start-job.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** An import reports every batch it stages; the UI needs no more than ten updates a second. */
const PROGRESS_MS = 100;

export function bundleHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'bundles'>> {
  return {
    'bundles.versions': (req) => bundleVersions(ctx, req.bundleId),
    'bundles.flagged': (req) => flaggedAnnotations(ctx, req.bundleId, requireIdentity(ctx).userId),
    'bundles.list': () => listBundles(ctx, getIdentity(ctx)),
    'bundles.get': (req) => bundleDetail(ctx, req.bundleId, requireIdentity(ctx)),
    'bundles.importFile': (req) =>
      startJob(ctx, { jobId: req.jobId, label: `Importing ${basename(req.path)}`, failure: 'the import failed', minIntervalMs: PROGRESS_MS }, async (progress) => {
        const r = await ctx.importBundle(req.path, { onProgress: progress });
        return { result: r, done: r.taskCount, total: r.taskCount };
      }),
  };
}
