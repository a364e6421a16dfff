import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { searchAssumptions } from '../review/assumptions.ts';
import { listEscalations } from '../review/escalations.ts';
import { listFlaggedForReview } from '../review/flagged.ts';
import type { HandlerMap } from './types.ts';

/** Who may call these is decided before they run (shared/contract/roles.ts, identity/authorize.ts). */
export function reviewHandlers(ctx: CoreContext): HandlerMap<'reviews.escalations' | 'reviews.flagged' | 'assumptions.search'> {
  return {
    'reviews.escalations': (req) => listEscalations(ctx, req),
    'reviews.flagged': (req) => listFlaggedForReview(ctx, req),
    'assumptions.search': (req) => {
      requireIdentity(ctx);
      return searchAssumptions(ctx, req);
    },
  };
}
