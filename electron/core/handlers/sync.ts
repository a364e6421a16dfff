import type { SyncService } from '../sync/service.ts';
import type { HandlerMap } from './types.ts';

type Methods = 'sync.status' | 'sync.enrol' | 'sync.now' | 'sync.retryRefused' | 'sync.exportBatches' | 'sync.pull' | 'sync.pullReviews' | 'sync.importBatches';

/**
 * Methods that wait on the network or on long work take the writer only for their store steps;
 * the core runs them outside its call queue (see Core.call) so they never block other calls.
 */
export const SELF_LOCKING_METHODS: ReadonlySet<string> = new Set(['sync.enrol', 'sync.retryRefused', 'sync.exportBatches', 'sync.pull', 'sync.pullReviews', 'sync.importBatches']);

export function syncHandlers(sync: SyncService): HandlerMap<Methods> {
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
    'sync.importBatches': async (req) => ({ results: await sync.importBatchFiles(req.files) }),
    'sync.exportBatches': async (req) => ({
      files: await sync.exportBatches(req.outDir, { ...(req.fromSeq ? { fromSeq: req.fromSeq } : {}), ...(req.toSeq ? { toSeq: req.toSeq } : {}) }),
    }),
  };
}
