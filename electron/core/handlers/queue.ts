import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { listQueue } from '../queue/queue.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function queueHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'queue'>> {
  return {
    'queue.list': (req) => listQueue(ctx, requireIdentity(ctx), req),
  };
}
