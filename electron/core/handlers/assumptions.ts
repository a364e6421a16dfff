import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { searchAssumptions } from '../review/assumptions.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function assumptionHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'assumptions'>> {
  return {
    'assumptions.search': (req) => {
      requireIdentity(ctx);
      return searchAssumptions(ctx, req);
    },
  };
}
