import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { searchAssumptions } from '../review/assumptions.ts';
import { listCandidates, markCandidate, unmarkCandidate } from '../export/candidates.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function assumptionHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'assumptions'>> {
  return {
    'assumptions.search': (req) => {
      requireIdentity(ctx);
      return searchAssumptions(ctx, req);
    },
    'assumptions.markCandidate': (req) => markCandidate(ctx, req),
    'assumptions.unmarkCandidate': (req) => ({ unmarked: unmarkCandidate(ctx, req) }),
    'assumptions.candidates': (req) => {
      requireIdentity(ctx);
      return listCandidates(ctx, req.bundleId);
    },
  };
}
