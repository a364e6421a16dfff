import { keyId } from '../../../shared/node/keys.ts';
import type { CoreContext } from '../context.ts';
import { addTrustedKey, applyRotation, findTrustedKey, removeTrustedKey } from '../trust/trust-store.ts';
import { describeTrustedKeys } from '../trust/trust-store.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function trustHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'trust'>> {
  return {
    'trust.list': () => describeTrustedKeys(ctx.db),
    'trust.add': (req) => {
      addTrustedKey(ctx.db, { jwk: req.jwk, label: req.label, bundlePrefix: req.bundlePrefix }, ctx.now());
      return findTrustedKey(ctx.db, keyId(req.jwk));
    },
    'trust.remove': (req) => removeTrustedKey(ctx.db, req.key),
    'trust.rotate': (req) => applyRotation(ctx.db, req.statement, ctx.now()),
  };
}
