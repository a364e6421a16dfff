import type { CoreContext } from '../context.ts';
import { workstationDrill, workstationInsight } from '../insight/insight.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** Reviewers and admins only (shared/contract/roles.ts); both read the store in turns (lock 'self'). */
export function insightHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'insight'>> {
  return {
    'insight.dashboard': (req) => workstationInsight(ctx, { filter: req.filter, ...(req.seed !== undefined ? { seed: req.seed } : {}) }),
    'insight.tasks': (req) => workstationDrill(ctx, { filter: req.filter }, req.drill, req.limit),
  };
}
