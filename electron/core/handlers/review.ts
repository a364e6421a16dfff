import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { searchAssumptions } from '../review/assumptions.ts';
import { listEscalations, requireReviewer } from '../review/escalations.ts';
import type { HandlerMap } from './types.ts';

export function reviewHandlers(ctx: CoreContext): HandlerMap<'reviews.escalations' | 'assumptions.search'> {
  return {
    'reviews.escalations': (req) => {
      requireReviewer(requireIdentity(ctx));
      return listEscalations(ctx, req);
    },
    'assumptions.search': (req) => {
      requireIdentity(ctx);
      return searchAssumptions(ctx, req);
    },
  };
}
