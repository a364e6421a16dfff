import type { Method } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { annotationHandlers } from './annotations.ts';
import { appHandlers } from './app.ts';
import { bundleHandlers } from './bundles.ts';
import { adminHandlers } from './admin.ts';
import { importHandlers } from './imports.ts';
import { reviewHandlers } from './review.ts';
import { syncHandlers } from './sync.ts';
import { trustHandlers } from './trust.ts';
import type { HandlerMap } from './types.ts';
import type { SyncService } from '../sync/service.ts';

/** All handlers; the type makes a missing or misspelt method a compile error. */
export function createHandlers(ctx: CoreContext, services: { sync: SyncService }): HandlerMap<Method> {
  return {
    ...appHandlers(ctx),
    ...bundleHandlers(ctx),
    ...annotationHandlers(ctx),
    ...reviewHandlers(ctx),
    ...importHandlers(ctx),
    ...trustHandlers(ctx),
    ...adminHandlers(ctx),
    ...syncHandlers(services.sync),
  };
}
