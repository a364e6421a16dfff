import type { CoreContext } from '../context.ts';
import { getIdentity, setupIdentity } from '../identity/identity.ts';
import type { HandlerMap } from './types.ts';

export const APP_VERSION = '0.1.0';

export function appHandlers(ctx: CoreContext): HandlerMap<'app.info' | 'app.lock' | 'app.unlock' | 'identity.get' | 'identity.setup'> {
  return {
    'app.info': () => ({ version: APP_VERSION, host: ctx.host, dataDir: ctx.dataDir, encrypted: ctx.encrypted, lock: ctx.lock.view() }),
    'app.lock': () => ctx.lock.lock(),
    'app.unlock': (req) => ctx.lock.unlock(req.passphrase),
    'identity.get': () => getIdentity(ctx),
    'identity.setup': (req) => setupIdentity(ctx, req.displayName, req.role),
  };
}
