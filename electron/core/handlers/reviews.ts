import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { bulkAccept, bulkAcceptPreview } from '../review/bulk.ts';
import { listEscalations } from '../review/escalations.ts';
import { listFlaggedForReview } from '../review/flagged.ts';
import { annotatorWorkView } from '../review/work-view.ts';
import { reviewAnnotators, reviewQueue } from '../review/queue.ts';
import { ensureReviewIndex } from '../review/review-index.ts';
import { reviewTask } from '../review/task-view.ts';
import { importBatchFilesJob, pullJob } from '../review/transfer.ts';
import type { SyncService } from '../sync/service.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** Who may call these is decided before they run (shared/contract/roles.ts, identity/authorize.ts). */
export function reviewHandlers(ctx: CoreContext, sync: SyncService): HandlerMap<MethodsOf<'reviews'>> {
  return {
    'reviews.escalations': (req) => listEscalations(ctx, req),
    'reviews.flagged': (req) => listFlaggedForReview(ctx, req),
    'reviews.work': (req) => annotatorWorkView(ctx, req),
    'reviews.queue': (req) => {
      // A workstation that became a reviewer's since it opened fills its index on first use.
      ensureReviewIndex(ctx.db, ctx.now().toISOString());
      return reviewQueue(ctx, req);
    },
    'reviews.annotators': (req) => {
      ensureReviewIndex(ctx.db, ctx.now().toISOString());
      return { annotators: reviewAnnotators(ctx, req.bundleId) };
    },
    'reviews.task': (req) => reviewTask(ctx, requireIdentity(ctx), req),
    'reviews.bulkAcceptPreview': (req) => bulkAcceptPreview(ctx, req),
    'reviews.bulkAccept': (req) => bulkAccept(ctx, requireIdentity(ctx), req),
    // Jobs (lock `job`): each store step takes its own turn of the writer.
    'reviews.importBatchFiles': (req) => importBatchFilesJob(ctx, req),
    'reviews.pull': (req) => pullJob(ctx, sync, req),
  };
}
