import type { CoreContext } from '../context.ts';
import { getIdentity, setupIdentity } from '../identity/identity.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function identityHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'identity'>> {
  return {
    'identity.get': () => getIdentity(ctx),
    'identity.setup': (req) => setupIdentity(ctx, req.displayName, req.role),
  };
}
