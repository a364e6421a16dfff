import type { SyncService } from '../sync/service.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** These take the writer for their store steps only (contract lock `self`), except sync.status and sync.now. */
export function syncHandlers(sync: SyncService): HandlerMap<MethodsOf<'sync'>> {
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
    'sync.exportBatches': async (req) => ({
      files: await sync.exportBatches(req.outDir, { ...(req.fromSeq ? { fromSeq: req.fromSeq } : {}), ...(req.toSeq ? { toSeq: req.toSeq } : {}) }),
    }),
  };
}
