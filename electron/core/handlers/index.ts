import type { Method } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { annotationHandlers } from './annotations.ts';
import { appHandlers } from './app.ts';
import { bundleHandlers } from './bundles.ts';
import { adminHandlers } from './admin.ts';
import { importHandlers } from './imports.ts';
import { reviewHandlers } from './review.ts';
import { trustHandlers } from './trust.ts';
import type { HandlerMap } from './types.ts';

/** All handlers; the type makes a missing or misspelt method a compile error. */
export function createHandlers(ctx: CoreContext): HandlerMap<Method> {
  return {
    ...appHandlers(ctx),
    ...bundleHandlers(ctx),
    ...annotationHandlers(ctx),
    ...reviewHandlers(ctx),
    ...importHandlers(ctx),
    ...trustHandlers(ctx),
    ...adminHandlers(ctx),
  };
}
