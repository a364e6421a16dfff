import { ApiError, METHOD_ROLES, roleMayCall, type Method } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { article, requireIdentity } from './identity.ts';

/**
 * Refuses a privileged method (shared/contract/roles.ts) for a user whose role does not permit
 * it, before its handler runs, so no handler can forget the check. A workstation that is not
 * set up has no role yet and gets `not_set_up`.
 */
export function authorizeCall(ctx: CoreContext, method: Method): void {
  const allowed = METHOD_ROLES[method];
  if (allowed === undefined) return;
  const who = requireIdentity(ctx);
  if (!roleMayCall(who.role, method)) {
    throw new ApiError('forbidden', `${method} is for ${allowed.map((r) => `${r}s`).join(' and ')}; this workstation is set up for ${article(who.role)} ${who.role}`);
  }
}
