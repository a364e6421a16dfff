import type { CoreContext } from '../context.ts';
import { requireIdentity } from '../identity/identity.ts';
import { discardDraft, history, revise, saveDraft, submit } from '../annotations/lifecycle.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

export function annotationHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'annotations'>> {
  return {
    'annotations.saveDraft': (req) => saveDraft(ctx, requireIdentity(ctx), req, req.content, req.activeMsDelta),
    'annotations.submit': (req) => submit(ctx, requireIdentity(ctx), req, req.content, req.activeMsDelta),
    'annotations.revise': (ref) => revise(ctx, requireIdentity(ctx), ref),
    'annotations.discardDraft': (ref) => ({ discarded: discardDraft(ctx, requireIdentity(ctx), ref) }),
    'annotations.history': (ref) => history(ctx, requireIdentity(ctx), ref),
  };
}
