import type { CoreContext } from '../context.ts';
import { startJob } from '../jobs/start-job.ts';
import type { SyncService } from '../sync/service.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** These take the writer for their store steps only (contract lock `self`), except sync.status and sync.now. */
export function syncHandlers(sync: SyncService, ctx: CoreContext): HandlerMap<MethodsOf<'sync'>> {
  return {
    'sync.status': () => sync.status(),
    'sync.enrol': (req) => sync.enrol(req.serverUrl, req.token),
    'sync.now': () => {
      sync.start();
      return sync.status();
    },
    'sync.retryRefused': () => sync.retryRefused(),
    'sync.pull': () => sync.pull(),
    'sync.pullReviews': () => sync.pullReviews(),
    'sync.pullDecisions': () => sync.pullDecisions(),
    'sync.importBatches': async (req) => ({ results: await sync.importBatchFiles(req.files) }),
    'sync.importBatchData': (req) =>
      startJob(ctx, { jobId: req.jobId, label: `Importing ${req.files.length} batch file${req.files.length === 1 ? '' : 's'}`, failure: 'the import failed' }, async (progress) => {
        const files = req.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.data, 'base64') }));
        const results = await sync.importBatchBytes(files, (done) => progress(done, files.length));
        return { result: { results }, done: files.length, total: files.length };
      }),
    'sync.exportBatches': async (req) => ({
      files: await sync.exportBatches(req.outDir, { ...(req.fromSeq ? { fromSeq: req.fromSeq } : {}), ...(req.toSeq ? { toSeq: req.toSeq } : {}) }),
    }),
  };
}
