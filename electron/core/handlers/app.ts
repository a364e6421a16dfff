import type { CoreContext } from '../context.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export const APP_VERSION = '0.1.0';

export function appHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'app'>> {
  return {
    'app.info': () => ({ version: APP_VERSION, host: ctx.host, dataDir: ctx.dataDir }),
  };
}
