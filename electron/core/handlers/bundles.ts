import type { CoreContext } from '../context.ts';
import { bundleDetail, listBundles } from '../bundles/queries.ts';
import { requireIdentity, getIdentity } from '../identity/identity.ts';
import { listQueue, nextTask } from '../queue/queue.ts';
import type { HandlerMap } from './types.ts';
import { bundleVersions, flaggedAnnotations } from '../bundles/versions.ts';

type Methods = 'bundles.list' | 'bundles.get' | 'queue.list' | 'tasks.next' | 'bundles.versions' | 'bundles.flagged';

export function bundleHandlers(ctx: CoreContext): HandlerMap<Methods> {
  return {
    'bundles.versions': (req) => bundleVersions(ctx, req.bundleId),
    'bundles.flagged': (req) => flaggedAnnotations(ctx, req.bundleId, requireIdentity(ctx).userId),
    'bundles.list': () => listBundles(ctx, getIdentity(ctx)),
    'bundles.get': (req) => bundleDetail(ctx, req.bundleId, requireIdentity(ctx)),
    'queue.list': (req) => listQueue(ctx, requireIdentity(ctx), req),
    'tasks.next': (req) => ({ taskId: nextTask(ctx, requireIdentity(ctx), req.bundleId, req.afterTaskId, req.status, req.direction) }),
  };
}
