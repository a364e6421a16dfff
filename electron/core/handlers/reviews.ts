import type { CoreContext } from '../context.ts';
import { listEscalations } from '../review/escalations.ts';
import { listFlaggedForReview } from '../review/flagged.ts';
import { annotatorWorkView } from '../review/work-view.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** Who may call these is decided before they run (shared/contract/roles.ts, identity/authorize.ts). */
export function reviewHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'reviews'>> {
  return {
    'reviews.escalations': (req) => listEscalations(ctx, req),
    'reviews.flagged': (req) => listFlaggedForReview(ctx, req),
    'reviews.work': (req) => annotatorWorkView(ctx, req),
  };
}
