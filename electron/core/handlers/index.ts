import type { Method } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import type { SyncService } from '../sync/service.ts';
import { adminHandlers } from './admin.ts';
import { adjudicationHandlers } from './adjudications.ts';
import { annotationHandlers } from './annotations.ts';
import { appHandlers } from './app.ts';
import { assumptionHandlers } from './assumptions.ts';
import { bundleHandlers } from './bundles.ts';
import { exportHandlers } from './export.ts';
import { identityHandlers } from './identity.ts';
import { insightHandlers } from './insight.ts';
import { queueHandlers } from './queue.ts';
import { reviewHandlers } from './reviews.ts';
import { syncHandlers } from './sync.ts';
import { taskHandlers } from './tasks.ts';
import { trustHandlers } from './trust.ts';
import type { HandlerMap } from './types.ts';

/**
 * All handlers, one file per method prefix (app, identity, bundles, queue, tasks, annotations,
 * reviews, insight, assumptions, trust, admin, sync); the type makes a missing or misspelt method a
 * compile error.
 */
export function createHandlers(ctx: CoreContext, services: { sync: SyncService }): HandlerMap<Method> {
  return {
    ...appHandlers(ctx),
    ...identityHandlers(ctx),
    ...bundleHandlers(ctx),
    ...queueHandlers(ctx),
    ...taskHandlers(ctx),
    ...annotationHandlers(ctx),
    ...reviewHandlers(ctx, services.sync),
    ...adjudicationHandlers(ctx),
    ...insightHandlers(ctx),
    ...assumptionHandlers(ctx),
    ...trustHandlers(ctx),
    ...adminHandlers(ctx),
    ...exportHandlers(ctx),
    ...syncHandlers(services.sync, ctx),
  };
}
